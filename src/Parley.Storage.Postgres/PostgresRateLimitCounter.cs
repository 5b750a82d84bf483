using System.Security.Cryptography;
using System.Text;
using Parley.Core.Limits;

namespace Parley.Storage.Postgres;

/// <summary>
/// Rate-limit windows in PostgreSQL (table <c>rate_limit_windows</c>): one row per client and window, incremented in
/// one statement, so every server counts against the same number. Clients are stored as SHA-256 hashes (an API key
/// never reaches the database), and a client's finished windows are deleted when its next window begins.
/// </summary>
public sealed class PostgresRateLimitCounter : IRateLimitCounter, IDisposable, IAsyncDisposable
{
    private readonly PostgresDatabase _database;

    /// <summary>Creates the counter for the database in <paramref name="options"/>; nothing is opened until the first call.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PostgresRateLimitCounter(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = new PostgresDatabase(options);
    }

    /// <inheritdoc />
    public Task<long> IncrementAsync(string partition, DateTimeOffset windowStart, TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(partition));
        var start = PostgresRows.Truncate(windowStart);
        return _database.RunAsync("count a request for the rate limit", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, """
                INSERT INTO rate_limit_windows (client, window_start, requests) VALUES ($1, $2, 1)
                ON CONFLICT (client, window_start) DO UPDATE SET requests = rate_limit_windows.requests + 1
                RETURNING requests;
                """);
            command.Parameters.AddWithValue(key);
            command.Parameters.AddWithValue(start);
            var count = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (count == 1)
            {
                await using var clear = PostgresDatabase.Command(connection, transaction, "DELETE FROM rate_limit_windows WHERE client = $1 AND window_start < $2;");
                clear.Parameters.AddWithValue(key);
                clear.Parameters.AddWithValue(start);
                await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return count;
        }, cancellationToken);
    }

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Closes the pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
