namespace Parley.Storage.Postgres;

/// <summary>Options of the PostgreSQL stores (<see cref="PostgresConversationStore"/>, <see cref="PostgresCalendarStore"/>, <see cref="PostgresRunStore"/>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// Gets or sets the database: an Npgsql connection string (<c>Host=db;Database=parley;Username=parley;Password=…</c>)
    /// or a <c>postgres://user:password@host:port/database</c> URL. Required. It never appears in messages or logs; see
    /// <see cref="PostgresConnectionString.Describe"/>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Gets or sets the clock for the <c>created</c> and <c>updated</c> timestamps.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the options and throws when one is invalid.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and never contains the password.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException($"{nameof(PostgresStoreOptions)}.{nameof(ConnectionString)} must name a PostgreSQL database (Host=…;Database=… or postgres://…).");
        }

        PostgresConnectionString.Normalize(ConnectionString);
        if (TimeProvider is null)
        {
            throw new ArgumentException($"{nameof(PostgresStoreOptions)}.{nameof(TimeProvider)} must not be null.");
        }
    }
}
