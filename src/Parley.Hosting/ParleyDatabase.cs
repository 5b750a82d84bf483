using Parley.Core.Calendar;
using Parley.Core.Conversations;
using Parley.Core.FineTuning;
using Parley.Core.Runs;
using Parley.Storage.Postgres;
using Parley.Storage.Sqlite;

namespace Parley.Hosting;

/// <summary>
/// The database in effect (<c>Parley:Database</c>, <c>--db</c>): a SQLite file (the default, <c>parley.db</c> in the
/// data folder) or PostgreSQL when the value is a connection string (<c>Host=…;Database=…</c>) or a
/// <c>postgres://</c> URL. Opens the stores on it; never shows a PostgreSQL password.
/// </summary>
public sealed class ParleyDatabase
{
    private readonly string? _connectionString;
    private readonly string? _path;
    private readonly TimeProvider _timeProvider;

    /// <summary>Reads the database from <paramref name="options"/>.</summary>
    /// <param name="options">The settings; <see cref="ParleyOptions.Database"/> names the database.</param>
    /// <param name="timeProvider">The stores' clock; the system clock when null.</param>
    /// <exception cref="ArgumentException">A PostgreSQL connection string cannot be read (the message has no password).</exception>
    public ParleyDatabase(ParleyOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider ?? TimeProvider.System;
        if (PostgresConnectionString.IsPostgres(options.Database))
        {
            _connectionString = PostgresConnectionString.Normalize(options.Database!);
            Description = PostgresConnectionString.Describe(_connectionString);
        }
        else
        {
            _path = options.GetDatabasePath();
            Description = _path;
        }
    }

    /// <summary>Whether the database is PostgreSQL (else a SQLite file).</summary>
    public bool IsPostgres => _connectionString is not null;

    /// <summary>The database for messages and logs: the file path, or the PostgreSQL host, port, database and user (no password).</summary>
    public string Description { get; }

    /// <summary>Opens a conversation store on the database; dispose it (it is <see cref="IDisposable"/>) when done.</summary>
    public IConversationStore OpenConversations() => IsPostgres
        ? new PostgresConversationStore(PostgresOptions())
        : new SqliteConversationStore(SqliteOptions());

    /// <summary>Opens a calendar store on the database; dispose it (it is <see cref="IDisposable"/>) when done.</summary>
    public ICalendarStore OpenCalendar() => IsPostgres
        ? new PostgresCalendarStore(PostgresOptions())
        : new SqliteCalendarStore(SqliteOptions());

    /// <summary>Opens a run store on the database; dispose it (it is <see cref="IDisposable"/>) when done.</summary>
    public IRunStore OpenRuns() => IsPostgres
        ? new PostgresRunStore(PostgresOptions())
        : new SqliteRunStore(SqliteOptions());

    /// <summary>
    /// Opens the fine-tuning API's records and job queue on the database (shared by every server on a PostgreSQL
    /// database); dispose it (it is <see cref="IDisposable"/>) when done.
    /// </summary>
    public IFineTuningStore OpenFineTuning() => IsPostgres
        ? new PostgresFineTuningStore(PostgresOptions())
        : new SqliteFineTuningStore(SqliteOptions());

    /// <summary>
    /// Opens the locks that keep one turn of a conversation at a time across servers sharing the database, or null for
    /// a SQLite file (one machine: the server's own per-session gate is enough). Dispose them when done.
    /// </summary>
    public IConversationLocks? OpenLocks() => IsPostgres ? new PostgresConversationLocks(PostgresOptions()) : null;

    /// <summary>
    /// Opens the rate-limit counters shared by the servers on the database, or null for a SQLite file (one server
    /// counts in memory). Dispose them when done.
    /// </summary>
    public Core.Limits.IRateLimitCounter? OpenRateLimitCounter() => IsPostgres ? new PostgresRateLimitCounter(PostgresOptions()) : null;

    /// <summary>Deletes the sessions last active before <paramref name="cutoff"/> from a store this class opened.</summary>
    /// <param name="store">A store from <see cref="OpenConversations"/>.</param>
    /// <param name="cutoff">Sessions updated before this moment are deleted.</param>
    /// <param name="bot">Only this bot's sessions, or null for every bot's.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>How many sessions were deleted.</returns>
    /// <exception cref="ArgumentException">The store is of another kind.</exception>
    public static Task<int> DeleteOlderThanAsync(IConversationStore store, DateTimeOffset cutoff, string? bot, CancellationToken cancellationToken = default) => store switch
    {
        SqliteConversationStore sqlite => sqlite.DeleteOlderThanAsync(cutoff, bot, cancellationToken),
        PostgresConversationStore postgres => postgres.DeleteOlderThanAsync(cutoff, bot, cancellationToken),
        _ => throw new ArgumentException($"{store?.GetType().Name ?? "null"} cannot delete sessions by age.", nameof(store)),
    };

    private PostgresStoreOptions PostgresOptions() => new() { ConnectionString = _connectionString!, TimeProvider = _timeProvider };

    private SqliteConversationStoreOptions SqliteOptions() => new() { Path = _path!, TimeProvider = _timeProvider };
}
