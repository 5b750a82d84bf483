namespace Parley.Cli.Hosting;

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
