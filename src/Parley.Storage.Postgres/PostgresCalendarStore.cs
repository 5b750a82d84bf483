using System.Globalization;
using Npgsql;
using Parley.Core.Calendar;

namespace Parley.Storage.Postgres;

/// <summary>
/// Calendar events in PostgreSQL (table <c>calendar_events</c>). Adding an event takes a transaction-scoped advisory
/// lock on its calendar, so two servers adding to one calendar at once give out different ids.
/// </summary>
public sealed class PostgresCalendarStore : ICalendarStore, IDisposable, IAsyncDisposable
{
    private const string Columns = "calendar, id, title, start_at, end_at, time_zone";
    private readonly PostgresDatabase _database;

    /// <summary>Opens the store; the schema is created or migrated on first use.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PostgresCalendarStore(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = new PostgresDatabase(options);
    }

    /// <inheritdoc />
    public Task<CalendarEvent> AddAsync(string calendar, string title, DateTimeOffset start, DateTimeOffset end, string timeZone, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(calendar);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZone);
        CheckInterval(start, end);
        start = PostgresRows.Truncate(start);
        end = PostgresRows.Truncate(end);
        return _database.RunAsync($"add an event to calendar '{calendar}'", async (connection, transaction) =>
        {
            await using (var lockCalendar = PostgresDatabase.Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('parley.calendar:' || $1, 0));"))
            {
                lockCalendar.Parameters.AddWithValue(calendar);
                await lockCalendar.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var insert = PostgresDatabase.Command(connection, transaction, $"""
                INSERT INTO calendar_events ({Columns})
                SELECT $1, COALESCE(MAX(id), 0) + 1, $2, $3, $4, $5 FROM calendar_events WHERE calendar = $1
                RETURNING id;
                """);
            insert.Parameters.AddWithValue(calendar);
            insert.Parameters.AddWithValue(title);
            insert.Parameters.AddWithValue(start);
            insert.Parameters.AddWithValue(end);
            insert.Parameters.AddWithValue(timeZone);
            var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new CalendarEvent(calendar, id.ToString(CultureInfo.InvariantCulture), title, start, end, timeZone);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<CalendarEvent?> GetAsync(string calendar, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(id);
        if (!TryParseId(id, out var number))
        {
            return null;
        }

        var events = await QueryAsync($"load event '{id}'", "calendar = $1 AND id = $2", command =>
        {
            command.Parameters.AddWithValue(calendar);
            command.Parameters.AddWithValue(number);
        }, cancellationToken).ConfigureAwait(false);
        return events.Count == 0 ? null : events[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CalendarEvent>> ListAsync(string calendar, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return QueryAsync($"list calendar '{calendar}'", "calendar = $1 AND start_at < $3 AND end_at > $2", command =>
        {
            command.Parameters.AddWithValue(calendar);
            command.Parameters.AddWithValue(from.ToUniversalTime());
            command.Parameters.AddWithValue(to.ToUniversalTime());
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> MoveAsync(string calendar, string id, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(id);
        CheckInterval(start, end);
        if (!TryParseId(id, out var number))
        {
            return Task.FromResult(false);
        }

        return _database.RunAsync($"move event '{id}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, "UPDATE calendar_events SET start_at = $3, end_at = $4 WHERE calendar = $1 AND id = $2;");
            command.Parameters.AddWithValue(calendar);
            command.Parameters.AddWithValue(number);
            command.Parameters.AddWithValue(PostgresRows.Truncate(start));
            command.Parameters.AddWithValue(PostgresRows.Truncate(end));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string calendar, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(id);
        if (!TryParseId(id, out var number))
        {
            return Task.FromResult(false);
        }

        return _database.RunAsync($"remove event '{id}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, "DELETE FROM calendar_events WHERE calendar = $1 AND id = $2;");
            command.Parameters.AddWithValue(calendar);
            command.Parameters.AddWithValue(number);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <summary>Closes the store's pooled connections.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Closes the store's pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    // Ids are small numbers as text; anything else names no event.
    private static bool TryParseId(string id, out long number) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number.ToString(CultureInfo.InvariantCulture) == id;

    private static void CheckInterval(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            throw new ArgumentException($"An event must end after it starts (start {start:O}, end {end:O}).", nameof(end));
        }
    }

    private Task<IReadOnlyList<CalendarEvent>> QueryAsync(string action, string where, Action<NpgsqlCommand> bind, CancellationToken cancellationToken) =>
        _database.RunAsync(action, async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, $"SELECT {Columns} FROM calendar_events WHERE {where} ORDER BY start_at, id;");
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var events = new List<CalendarEvent>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(new CalendarEvent(
                    reader.GetString(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture), reader.GetString(2),
                    PostgresRows.Timestamp(reader, 3), PostgresRows.Timestamp(reader, 4), reader.GetString(5)));
            }

            return (IReadOnlyList<CalendarEvent>)events;
        }, cancellationToken);
}
