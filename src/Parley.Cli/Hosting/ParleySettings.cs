namespace Parley.Cli.Hosting;

/// <summary>
/// The settings of the <c>parley</c> command, bound from <c>appsettings.json</c>, environment variables and flags
/// (later sources win). See the configuration table in the README.
/// </summary>
public sealed class ParleySettings
{
    /// <summary>The bot folder. Default: <c>samples/bots/shop</c>, found from the working folder or the program's folder.</summary>
    public string? Bot { get; set; }

    /// <summary>The conversation database file. Default: <c>parley.db</c> in the user's data folder.</summary>
    public string? Database { get; set; }

    /// <summary>Forces the token encoding used for history budgeting (<c>o200k_base</c> or <c>cl100k_base</c>).</summary>
    public string? TokenEncoding { get; set; }

    /// <summary>The LLM endpoint; generation stays offline unless a base URL or an API key is set.</summary>
    public EndpointSettings OpenAI { get; set; } = new();

    /// <summary>Retries of failed LLM calls.</summary>
    public RetrySettings Retry { get; set; } = new();

    /// <summary>The settings of <c>parley serve</c>; its flags override them.</summary>
    public ServerSettings Server { get; set; } = new();

    /// <summary>The data folder for caches and the default database (<c>PARLEY_DATA_DIR</c> or the user's data folder).</summary>
    public static string DataDirectory(CliContext context) => Core.ParleyPaths.GetDataDirectory(context.GetEnvironmentVariable);

    /// <summary>The database file: <see cref="Database"/> resolved against the working folder, else <c>parley.db</c> in the data folder.</summary>
    public string DatabasePath(CliContext context) =>
        Database is { Length: > 0 } db ? Path.GetFullPath(db, context.CurrentDirectory) : Path.Combine(DataDirectory(context), Storage.Sqlite.SqliteConversationStoreOptions.DatabaseFileName);

    /// <summary>Options of the SQLite stores (conversations and runs) at <see cref="DatabasePath"/>.</summary>
    public Storage.Sqlite.SqliteConversationStoreOptions StoreOptions(CliContext context) => new() { Path = DatabasePath(context) };

    /// <summary>Whether an LLM endpoint is configured.</summary>
    public bool HasEndpoint => !string.IsNullOrWhiteSpace(OpenAI.BaseUrl) || !string.IsNullOrWhiteSpace(OpenAI.ApiKey);
}

/// <summary>An OpenAI-compatible endpoint.</summary>
public sealed class EndpointSettings
{
    /// <summary>The base URL, e.g. <c>http://localhost:11434/v1</c>; empty means api.openai.com when an API key is set.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API key; optional for local servers.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model id; default: the bot's <c>model.id</c>, else <c>gpt-4o-mini</c>.</summary>
    public string? Model { get; set; }

    /// <summary>How long one HTTP attempt may take, in seconds. Default 100.</summary>
    public double TimeoutSeconds { get; set; } = 100;
}

/// <summary>How failed LLM calls are retried.</summary>
public sealed class RetrySettings
{
    /// <summary>Attempts in all, the first included. Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The overall deadline of a call, retries and waits included, in seconds. Default 60.</summary>
    public double DeadlineSeconds { get; set; } = 60;
}

/// <summary>The settings of <c>parley serve</c> (<c>Parley:Server</c>); unset ones take the server's defaults.</summary>
public sealed class ServerSettings
{
    /// <summary>The addresses to listen on, separated by ';'. Default: <c>http://127.0.0.1:8080</c>.</summary>
    public string? Urls { get; set; }

    /// <summary>The API keys clients must send. Default: none, the API is open.</summary>
    public string[]? ApiKeys { get; set; }

    /// <summary>A file of API keys, one per line, added to <see cref="ApiKeys"/>.</summary>
    public string? ApiKeysFile { get; set; }

    /// <summary>Requests per minute per API key (or client IP when open). Default: 600.</summary>
    public int? RateLimitPerMinute { get; set; }

    /// <summary>The largest request body accepted, in bytes. Default: 1 MiB.</summary>
    public long? MaxRequestBodyBytes { get; set; }

    /// <summary>The origins browsers may call the API from. Default: none, CORS off.</summary>
    public string[]? CorsOrigins { get; set; }

    /// <summary>Whether prompts and replies are logged. Default: false.</summary>
    public bool? LogContent { get; set; }

    /// <summary>How long stopping waits for open requests, in seconds. Default: 30.</summary>
    public double? ShutdownTimeoutSeconds { get; set; }
}
