namespace Parley.Hosting;

/// <summary>
/// The settings of a process that hosts bots (section <c>Parley</c>): where its data lives, the conversation database,
/// the token encoding and retries of LLM calls. Bound by <see cref="ParleyServiceCollectionExtensions.AddParleyBots"/>
/// and validated when first read.
/// </summary>
public sealed class ParleyOptions
{
    /// <summary>The configuration section these options are bound from: <c>Parley</c>.</summary>
    public const string SectionName = "Parley";

    /// <summary>The bot folder the command-line app talks to. Default: null, the app's default bot.</summary>
    public string? Bot { get; set; }

    /// <summary>
    /// The database: a SQLite file, or PostgreSQL given as a connection string (<c>Host=…;Database=…;Username=…</c>) or a
    /// <c>postgres://user:password@host:port/database</c> URL (see <see cref="ParleyDatabase"/>). Default: null,
    /// <c>parley.db</c> in the data folder.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>
    /// The data folder (indexes, models, cache, fine-tuning, the default database). Default: null,
    /// <c>$PARLEY_DATA_DIR</c> or the user's local data folder.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The folder relative paths (<see cref="Database"/>, <see cref="DataDirectory"/>) are resolved against. Default: null, the working folder.</summary>
    public string? BaseDirectory { get; set; }

    /// <summary>Forces the token encoding of the history budget (<c>o200k_base</c> or <c>cl100k_base</c>). Default: null, chosen from the model.</summary>
    public string? TokenEncoding { get; set; }

    /// <summary>How failed LLM calls are retried.</summary>
    public ParleyRetryOptions Retry { get; set; } = new();

    /// <summary>The data folder in effect.</summary>
    public ParleyDataFolder GetDataFolder() =>
        string.IsNullOrWhiteSpace(DataDirectory) ? ParleyDataFolder.FromEnvironment() : new ParleyDataFolder(Resolve(DataDirectory));

    /// <summary>
    /// The SQLite database file in effect: <see cref="Database"/>, else <c>parley.db</c> in the data folder. Only for a
    /// SQLite database: <see cref="ParleyDatabase"/> tells the two apart.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Database"/> names a PostgreSQL database.</exception>
    public string GetDatabasePath() => Storage.Postgres.PostgresConnectionString.IsPostgres(Database)
        ? throw new InvalidOperationException("Parley:Database names a PostgreSQL database, not a file.")
        : string.IsNullOrWhiteSpace(Database) ? GetDataFolder().Database : Resolve(Database);

    private string Resolve(string path) => Path.GetFullPath(path, BaseDirectory ?? Environment.CurrentDirectory);
}
