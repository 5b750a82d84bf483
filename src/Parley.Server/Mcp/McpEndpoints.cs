using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using Parley.Bots.Tools.Mcp;
using Parley.Server.Errors;
using Parley.Server.Hosting;
using Parley.Server.Security;
using Parley.Server.Sessions;

namespace Parley.Server.Mcp;

/// <summary>
/// MCP over Streamable HTTP, behind the API's key and rate limit: <c>/mcp</c> offers <c>ask_BOT</c> and
/// <c>search_BOT_knowledge</c> for every served bot, and <c>/mcp/BOT</c> each bot's own tools (those that need approval
/// are not offered). Stateless (no session affinity), so it works behind a load balancer.
/// </summary>
internal static class McpEndpoints
{
    /// <summary>The route prefix: a bot's tools are at <c>/mcp/{bot}</c>.</summary>
    public const string Prefix = "/mcp";

    public static IServiceCollection AddBotMcpServers(this IServiceCollection services)
    {
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "parley", Version = typeof(McpEndpoints).Assembly.GetName().Version?.ToString() ?? "1.0" })
            .WithHttpTransport(o =>
            {
                o.Stateless = true;
                o.ConfigureSessionOptions = async (http, options, cancellationToken) =>
                {
                    var registry = http.RequestServices.GetRequiredService<BotRegistry>();
                    var bots = await registry.GetBotsAsync(cancellationToken).ConfigureAwait(false);
                    if (http.GetRouteValue("bot") is not string name)
                    {
                        // /mcp: every bot as a whole — ask it, or search its knowledge.
                        var locks = http.RequestServices.GetRequiredService<SessionLocks>();
                        options.ToolCollection = [.. bots.Values.SelectMany(b => BotConversationTools.Create(b, registry.Store, locks, ApiCaller.Of(http)))];
                        return;
                    }

                    if (!bots.TryGetValue(name, out var bot))
                    {
                        throw new ApiException(404, $"no bot '{name}': the tools of each served bot are at {Prefix}/BOT", "bot", "model_not_found");
                    }

                    options.ServerInfo = new() { Name = $"parley-{bot.Name}", Version = options.ServerInfo?.Version ?? "1.0" };
                    options.ToolCollection = [.. BotMcpServerTools.Create(bot)];
                };
            });
        return services;
    }

    public static void MapBotMcpServers(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup(Prefix);
        group.MapMcp("");
        group.MapMcp("/{bot}");
    }
}
