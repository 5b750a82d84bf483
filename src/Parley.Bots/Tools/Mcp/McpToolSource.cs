using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Parley.Bots.Packs;
using Parley.Tools.Invocation;

namespace Parley.Bots.Tools.Mcp;

/// <summary>
/// One MCP server of a pack (<c>mcp_servers</c>), connected: its tools as Microsoft.Extensions.AI functions — arguments
/// checked against the tool's schema, every call bounded by the server's timeout, failures turned into the call's
/// result, and approval required unless the pack or the tool's read-only annotation says otherwise. Disposing it ends
/// the session (and stops a stdio server's process).
/// </summary>
public sealed class McpToolSource : IAsyncDisposable
{
    private const int ConnectAttempts = 2;

    private readonly McpClient _client;

    private McpToolSource(McpServerDeclaration server, McpClient client, IReadOnlyList<McpTool> tools)
    {
        Server = server;
        _client = client;
        Tools = tools;
    }

    /// <summary>The server as the pack declares it.</summary>
    public McpServerDeclaration Server { get; }

    /// <summary>The server's tools the pack allows, ready to offer (wrap those that need approval in an <see cref="ApprovalRequiredAIFunction"/>).</summary>
    public IReadOnlyList<McpTool> Tools { get; }

    /// <summary>
    /// Starts (stdio) or reaches (HTTP) the server and lists its tools: two attempts, each bounded by the server's
    /// timeout.
    /// </summary>
    /// <param name="server">The declaration.</param>
    /// <param name="packRoot">The pack's folder: a stdio server's default working folder.</param>
    /// <param name="http">The HTTP client for HTTP servers; null for one of the transport's own.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="McpUnavailableException">The server could not be reached.</exception>
    /// <exception cref="BotPackException">A tool the pack's <c>tools</c> list names is not among the server's tools.</exception>
    public static async Task<McpToolSource> ConnectAsync(McpServerDeclaration server, string packRoot, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        Exception? last = null;
        for (var attempt = 1; attempt <= ConnectAttempts; attempt++)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(server.Timeout);
            McpClient? client = null;
            var connected = false;
            try
            {
                client = await McpClient.CreateAsync(CreateTransport(server, packRoot, http), new McpClientOptions
                {
                    ClientInfo = new() { Name = "parley", Version = typeof(McpToolSource).Assembly.GetName().Version?.ToString() ?? "1.0" },
                    InitializationTimeout = server.Timeout,
                }, cancellationToken: deadline.Token).ConfigureAwait(false);
                var listed = await client.ListToolsAsync(cancellationToken: deadline.Token).ConfigureAwait(false);
                var source = new McpToolSource(server, client, Select(server, listed));
                connected = true;
                return source;
            }
            catch (Exception e) when (e is not BotPackException && !cancellationToken.IsCancellationRequested)
            {
                last = e is OperationCanceledException ? new TimeoutException($"no answer within {server.Timeout.TotalSeconds:0} s") : e;
            }
            finally
            {
                if (!connected && client is not null)
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        throw new McpUnavailableException(server, $"the MCP server '{server.Name}' ({server.Describe()}, declared at {server.Location}) could not be reached after {ConnectAttempts} attempts: {last?.GetBaseException().Message}", last);
    }

    /// <summary>Ends the session; a stdio server's process is stopped.</summary>
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static IClientTransport CreateTransport(McpServerDeclaration server, string packRoot, HttpClient? http)
    {
        if (server.Url is { } url)
        {
            var options = new HttpClientTransportOptions
            {
                Endpoint = url,
                Name = server.Name,
                ConnectionTimeout = server.Timeout,
                AdditionalHeaders = server.Headers.ToDictionary(),
            };
            return http is null ? new HttpClientTransport(options) : new HttpClientTransport(options, http, ownsHttpClient: false);
        }

        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = server.Name,
            Command = server.Command!,
            Arguments = [.. server.Arguments],
            WorkingDirectory = Path.GetFullPath(server.WorkingDirectory ?? ".", packRoot),
            EnvironmentVariables = server.Environment.ToDictionary(p => p.Key, p => (string?)p.Value),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        });
    }

    private static List<McpTool> Select(McpServerDeclaration server, IList<McpClientTool> listed)
    {
        var missing = server.AllowedTools.Where(name => listed.All(t => t.Name != name)).ToList();
        if (missing.Count > 0)
        {
            var (file, line) = ToolManifestReader.SplitLocation(server.Location);
            throw new BotPackException(file, line,
                $"the MCP server '{server.Name}' has no tool {string.Join(", ", missing.Select(m => $"'{m}'"))} that its 'tools' list names (it has: {string.Join(", ", listed.Select(t => t.Name))})");
        }

        var tools = new List<McpTool>();
        foreach (var tool in listed.Where(t => server.AllowedTools.Count == 0 || server.AllowedTools.Contains(t.Name)))
        {
            AIFunction function = server.Prefix ? tool.WithName($"{server.Name}_{tool.Name}") : tool;
            function = new GuardedAIFunction(new McpCallFunction(function, server));
            var readOnly = tool.ProtocolTool.Annotations?.ReadOnlyHint == true;
            tools.Add(new McpTool(function, server.RequireApproval ?? !readOnly));
        }

        return tools;
    }

    /// <summary>One call to the server, bounded by its timeout; protocol and transport failures become <see cref="InvalidOperationException"/>s the guard reports as the result.</summary>
    private sealed class McpCallFunction(AIFunction inner, McpServerDeclaration server) : DelegatingAIFunction(inner)
    {
        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(server.Timeout);
            try
            {
                return await base.InvokeCoreAsync(arguments, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"the MCP server '{server.Name}' did not answer within {server.Timeout.TotalSeconds:0} s");
            }
            catch (Exception e) when (e is McpException or IOException or HttpRequestException or ObjectDisposedException)
            {
                throw new InvalidOperationException($"the MCP server '{server.Name}' failed: {e.Message}", e);
            }
        }
    }
}
