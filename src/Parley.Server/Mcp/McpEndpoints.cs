using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using Parley.Bots.Tools.Mcp;
using Parley.Server.Errors;
using Parley.Server.Hosting;

namespace Parley.Server.Mcp;

/// <summary>
/// <c>/mcp/BOT</c>: each served bot's tools as an MCP server over Streamable HTTP, behind the API's key and rate limit.
/// Stateless (no session affinity), so it works behind a load balancer; tools that need approval are not offered.
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
                    var name = http.GetRouteValue("bot") as string ?? "";
                    var bots = await http.RequestServices.GetRequiredService<BotRegistry>().GetBotsAsync(cancellationToken).ConfigureAwait(false);
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

    public static void MapBotMcpServers(this IEndpointRouteBuilder app) => app.MapApiGroup(Prefix).MapMcp("/{bot}");
}
