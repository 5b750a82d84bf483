using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Tools.Mcp;
using Parley.Tools;
using Parley.Tools.Orders;
using Parley.Tools.Weather;

namespace Parley.Bots.Tools;

/// <summary>
/// The tools a pack declares — built in (<c>tools</c>) and from MCP servers (<c>mcp_servers</c>) — made for one
/// conversation at a time (the calendar tools work on the conversation's calendar). Disposing it ends the MCP sessions.
/// </summary>
public sealed class BotToolbox : IAsyncDisposable
{
    private readonly BotPack _pack;
    private readonly BotToolServices _services;
    private readonly OpenMeteoClient? _weather;
    private readonly OrderStatusTool? _orders;
    private readonly IReadOnlyList<McpToolSource> _mcp;
    private readonly IReadOnlyDictionary<string, McpTool> _mcpTools;
    private readonly Parley.Retrieval.Knowledge.IKnowledgeSearch? _knowledge;

    private BotToolbox(BotPack pack, BotToolServices services, OpenMeteoClient? weather, OrderStatusTool? orders, TimeZoneInfo zone,
        IReadOnlyList<McpToolSource> mcp, IReadOnlyDictionary<string, McpTool> mcpTools, Parley.Retrieval.Knowledge.IKnowledgeSearch? knowledge)
    {
        _knowledge = knowledge;
        _pack = pack;
        _services = services;
        _weather = weather;
        _orders = orders;
        _mcp = mcp;
        _mcpTools = mcpTools;
        TimeZone = zone;
    }

    /// <summary>The user's time zone: the pack's <c>time_zone</c>, else the machine's.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider => _services.TimeProvider;

    /// <summary>The tools' names: the declared built-in tools, then those of the MCP servers.</summary>
    public IEnumerable<string> Names => _pack.Manifest.Tools.Select(t => t.Name).Concat(_mcpTools.Keys);

    /// <summary>Prepares the pack's tools: reads the order book, sets up the weather client, connects to the MCP servers.</summary>
    /// <exception cref="BotPackException">The order book is invalid, two tools share a name, or an intent runs a tool no reachable server offers.</exception>
    /// <exception cref="ArgumentException">The pack declares calendar tools and <paramref name="services"/> has no calendar store.</exception>
    /// <param name="pack">The pack.</param>
    /// <param name="services">What the tools run on.</param>
    /// <param name="knowledge">The bot's knowledge, for <c>knowledge_search</c>; null when the bot has none.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<BotToolbox> CreateAsync(BotPack pack, BotToolServices services, Parley.Retrieval.Knowledge.IKnowledgeSearch? knowledge = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(services);
        OpenMeteoClient? weather = null;
        OrderStatusTool? orders = null;
        foreach (var tool in pack.Manifest.Tools)
        {
            if (tool.Name.StartsWith("calendar_", StringComparison.Ordinal) && services.Calendar is null)
            {
                throw new ArgumentException($"Bot '{pack.Name}' declares the tool '{tool.Name}', which needs a calendar store (BotToolServices.Calendar).", nameof(services));
            }

            if (tool.Name == BuiltInTools.Weather)
            {
                var options = new OpenMeteoOptions();
                options.ForecastBaseUrl = services.WeatherBaseUrl ?? tool.ForecastUrl ?? options.ForecastBaseUrl;
                options.GeocodingBaseUrl = services.WeatherBaseUrl ?? tool.GeocodingUrl ?? options.GeocodingBaseUrl;
                weather = new OpenMeteoClient(services.Http ?? SharedHttp.Value, options);
            }

            if (tool.Name == BuiltInTools.OrderStatus)
            {
                var path = Path.Combine(pack.Root, tool.Orders!);
                try
                {
                    orders = await OrderStatusTool.LoadAsync(path, cancellationToken, pack.Manifest.Language).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw new BotPackException(path, 0, e.Message, e);
                }
            }
        }

        var zone = pack.Manifest.TimeZone is { } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Local;
        var (sources, tools) = await ConnectMcpAsync(pack, services, cancellationToken).ConfigureAwait(false);
        return new BotToolbox(pack, services, weather, orders, zone, sources, tools, knowledge);
    }

    /// <summary>The tools, for a conversation.</summary>
    /// <param name="conversation">The conversation (its calendar); null for a shared <c>default</c> calendar.</param>
    /// <param name="approvedUpFront">True when the user approved every tool call in advance: no tool then waits for approval.</param>
    public IReadOnlyDictionary<string, AIFunction> For(string? conversation, bool approvedUpFront = false)
    {
        var context = new BuiltInToolContext
        {
            Conversation = string.IsNullOrWhiteSpace(conversation) ? "default" : conversation,
            TimeProvider = _services.TimeProvider,
            TimeZone = TimeZone,
            Calendar = _services.Calendar,
            Weather = _weather,
            Orders = _orders,
            Knowledge = _knowledge,
        };
        var tools = _pack.Manifest.Tools.ToDictionary(t => t.Name, t => BuiltInTools.Create(t.Name, context, approvedUpFront ? false : t.RequireApproval), StringComparer.Ordinal);
        foreach (var (name, tool) in _mcpTools)
        {
            tools[name] = tool.RequiresApproval && !approvedUpFront ? new ApprovalRequiredAIFunction(tool.Function) : tool.Function;
        }

        return tools;
    }

    /// <summary>Ends the MCP sessions (stopping stdio servers' processes).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var source in _mcp)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<(IReadOnlyList<McpToolSource> Sources, IReadOnlyDictionary<string, McpTool> Tools)> ConnectMcpAsync(
        BotPack pack, BotToolServices services, CancellationToken cancellationToken)
    {
        var sources = new List<McpToolSource>();
        var tools = new Dictionary<string, McpTool>(StringComparer.Ordinal);
        var unreachable = new List<McpServerDeclaration>();
        try
        {
            foreach (var server in pack.Manifest.McpServers)
            {
                McpToolSource source;
                try
                {
                    source = await McpToolSource.ConnectAsync(server, pack.Root, services.Http, cancellationToken).ConfigureAwait(false);
                }
                catch (McpUnavailableException e)
                {
                    // Unreachable: the bot starts without this server's tools rather than not at all.
                    services.Warnings?.Report($"{e.Message}; its tools are left out until the bot is restarted");
                    unreachable.Add(server);
                    continue;
                }

                sources.Add(source);
                foreach (var tool in source.Tools)
                {
                    if (pack.Manifest.Tools.Any(t => t.Name == tool.Function.Name) || tools.ContainsKey(tool.Function.Name))
                    {
                        var (file, line) = ToolManifestReader.SplitLocation(server.Location);
                        throw new BotPackException(file, line,
                            $"the MCP server '{server.Name}' offers a tool '{tool.Function.Name}', and the bot already has a tool of that name: set 'prefix: true' on the server, or list the tools it may use in its 'tools'");
                    }

                    tools[tool.Function.Name] = tool;
                }
            }

            foreach (var intent in pack.Intents.Where(i => i.Tool is not null && pack.Manifest.Tools.All(t => t.Name != i.Tool) && !tools.ContainsKey(i.Tool)))
            {
                if (unreachable.Count == 0)
                {
                    var (file, line) = ToolManifestReader.SplitLocation(intent.Location);
                    throw new BotPackException(file, line,
                        $"intent '{intent.Name}' runs tool '{intent.Tool}', which is neither in 'tools' nor offered by an MCP server of the pack (they offer: {string.Join(", ", tools.Keys.DefaultIfEmpty("nothing"))})");
                }

                tools[intent.Tool!] = new McpTool(Unavailable(intent.Tool!, unreachable), RequiresApproval: false);
            }
        }
        catch
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return (sources, tools);
    }

    /// <summary>A tool an intent runs whose MCP server could not be reached: calling it says so.</summary>
    private static AIFunction Unavailable(string name, IReadOnlyList<McpServerDeclaration> servers)
    {
        var message = $"Error: the tool '{name}' is unavailable: its MCP server ({string.Join(" or ", servers.Select(s => $"'{s.Name}'"))}) could not be reached when the bot started";
        return AIFunctionFactory.Create(() => message, name, $"Unavailable: {name}");
    }

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
}
