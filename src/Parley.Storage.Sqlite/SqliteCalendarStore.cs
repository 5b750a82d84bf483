using System.Globalization;
using Microsoft.Data.Sqlite;
using Parley.Core.Calendar;

namespace Parley.Storage.Sqlite;

/// <summary>Calendar events in the same SQLite database as the conversations (table <c>calendar_events</c>, schema version 3).</summary>
public sealed class SqliteCalendarStore : ICalendarStore, IDisposable
{
    private const string Columns = "calendar, id, title, start, end, time_zone";
    private readonly SqliteDatabase _database;

    /// <summary>Opens the store; the database is created or upgraded on first use.</summary>
    public SqliteCalendarStore(SqliteConversationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = new SqliteDatabase(Path.GetFullPath(options.Path), options.BusyTimeout);
    }

    /// <inheritdoc />
    public Task<CalendarEvent> AddAsync(string calendar, string title, DateTimeOffset start, DateTimeOffset end, string timeZone, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(calendar);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZone);
        CheckInterval(start, end);
        return _database.WriteAsync($"add an event to calendar '{calendar}'", async (connection, transaction) =>
        {
            using var next = SqliteDatabase.Command(connection, transaction,
                "SELECT COALESCE(MAX(CAST(id AS INTEGER)), 0) + 1 FROM calendar_events WHERE calendar = $calendar;");
            next.Parameters.AddWithValue("$calendar", calendar);
            var id = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture)
                .ToString(CultureInfo.InvariantCulture);
            using var insert = SqliteDatabase.Command(connection, transaction,
                $"INSERT INTO calendar_events ({Columns}) VALUES ($calendar, $id, $title, $start, $end, $zone);");
            insert.Parameters.AddWithValue("$calendar", calendar);
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$title", title);
            insert.Parameters.AddWithValue("$start", SqliteRows.FormatTimestamp(start));
            insert.Parameters.AddWithValue("$end", SqliteRows.FormatTimestamp(end));
            insert.Parameters.AddWithValue("$zone", timeZone);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new CalendarEvent(calendar, id, title, start.ToUniversalTime(), end.ToUniversalTime(), timeZone);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<CalendarEvent?> GetAsync(string calendar, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(id);
        var events = await QueryAsync($"load event '{id}'", "calendar = $calendar AND id = $id", command =>
        {
            command.Parameters.AddWithValue("$calendar", calendar);
            command.Parameters.AddWithValue("$id", id);
        }, cancellationToken).ConfigureAwait(false);
        return events.Count == 0 ? null : events[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CalendarEvent>> ListAsync(string calendar, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return QueryAsync($"list calendar '{calendar}'", "calendar = $calendar AND start < $to AND end > $from", command =>
        {
            command.Parameters.AddWithValue("$calendar", calendar);
            command.Parameters.AddWithValue("$from", SqliteRows.FormatTimestamp(from));
            command.Parameters.AddWithValue("$to", SqliteRows.FormatTimestamp(to));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> MoveAsync(string calendar, string id, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(id);
        CheckInterval(start, end);
        return _database.WriteAsync($"move event '{id}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                "UPDATE calendar_events SET start = $start, end = $end WHERE calendar = $calendar AND id = $id;");
            command.Parameters.AddWithValue("$calendar", calendar);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$start", SqliteRows.FormatTimestamp(start));
            command.Parameters.AddWithValue("$end", SqliteRows.FormatTimestamp(end));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string calendar, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(id);
        return _database.WriteAsync($"remove event '{id}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, "DELETE FROM calendar_events WHERE calendar = $calendar AND id = $id;");
            command.Parameters.AddWithValue("$calendar", calendar);
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private static void CheckInterval(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            throw new ArgumentException($"An event must end after it starts (start {start:O}, end {end:O}).", nameof(end));
        }
    }

    private Task<IReadOnlyList<CalendarEvent>> QueryAsync(string action, string where, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        _database.ReadAsync(action, async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                $"SELECT {Columns} FROM calendar_events WHERE {where} ORDER BY start, CAST(id AS INTEGER);");
            bind(command);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var events = new List<CalendarEvent>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(new CalendarEvent(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    SqliteRows.ParseTimestamp(reader.GetString(3)), SqliteRows.ParseTimestamp(reader.GetString(4)), reader.GetString(5)));
            }

            return (IReadOnlyList<CalendarEvent>)events;
        }, cancellationToken);
}
