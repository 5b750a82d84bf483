namespace Parley.Bots.Packs;

/// <summary>
/// An MCP server whose tools a bot may use, from the manifest's <c>mcp_servers:</c> list: a program Parley starts and
/// talks to over stdio (<see cref="Command"/>), or a server reached over HTTP (<see cref="Url"/>).
/// </summary>
public sealed class McpServerDeclaration
{
    /// <summary>The default time a call (and connecting) may take: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The server's name, used in messages and as the prefix of its tools' names when <see cref="Prefix"/> is set.</summary>
    public required string Name { get; init; }

    /// <summary>For stdio: the program to start (for example <c>npx</c> or <c>dotnet</c>); null for an HTTP server.</summary>
    public string? Command { get; init; }

    /// <summary>For stdio: the program's arguments.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>For stdio: environment variables set for the program (added to Parley's own).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>For stdio: the program's working folder, relative to the pack; null for the pack's folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>For HTTP: the server's endpoint (Streamable HTTP, or SSE for older servers); null for a stdio server.</summary>
    public Uri? Url { get; init; }

    /// <summary>For HTTP: headers sent with every request (for example an <c>Authorization</c> header).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Only these of the server's tools are offered; empty for all of them.</summary>
    public IReadOnlyList<string> AllowedTools { get; init; } = [];

    /// <summary>
    /// Whether the server's tools need the user's approval: true or false for all of them; null (the default) for
    /// "unless the tool says it only reads" (its <c>readOnlyHint</c> annotation).
    /// </summary>
    public bool? RequireApproval { get; init; }

    /// <summary>When true, the tools are named <c>NAME_tool</c>, so two servers' tools cannot clash.</summary>
    public bool Prefix { get; init; }

    /// <summary>How long connecting and each call may take before it is given up.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Where the server is declared, for messages: <c>file:line</c>.</summary>
    public string Location { get; init; } = "";

    /// <summary>How the server is reached, for messages: the command line or the URL.</summary>
    public string Describe() => Url is not null ? Url.ToString() : string.Join(' ', [Command!, .. Arguments]);
}
