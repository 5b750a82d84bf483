using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Bots.Tools.Mcp;
using Parley.Cli.Hosting;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley mcp</c>: the bot's tools as an MCP server over stdio, for MCP clients (desktop assistants, IDEs, other
/// agents — and other Parley bots' <c>mcp_servers</c>). Standard output carries only the protocol; everything else goes
/// to standard error.
/// </summary>
internal static class McpCommand
{
    public static Command Create(CliContext context)
    {
        var options = new BotOptions();
        var approve = new Option<bool>("--approve") { Description = "Also offer the tools that need approval (calendar changes), every call approved up front." };
        var command = new Command("mcp", "Serve the bot's tools to MCP clients over stdio (tools that need approval only with --approve).");
        options.AddTo(command);
        command.Options.Add(approve);
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Settings(result, context);
            await using var runtime = await BotRuntime.StartAsync(context, settings, cancellationToken).ConfigureAwait(false);
            var tools = BotMcpServerTools.Create(runtime.Bot, result.GetValue(approve));
            if (tools.Count == 0)
            {
                throw new CliException($"bot '{runtime.Bot.Name}' has no tools to serve{(result.GetValue(approve) ? "" : " without approval (try --approve)")}: declare them in its bot.yaml ('tools', 'mcp_servers')");
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services
                .AddMcpServer(o => o.ServerInfo = new() { Name = $"parley-{runtime.Bot.Name}", Version = typeof(McpCommand).Assembly.GetName().Version?.ToString() ?? "1.0" })
                .WithStdioServerTransport()
                .WithTools(tools);
            using var host = builder.Build();
            await context.Error.WriteLineAsync($"Serving the tools of bot '{runtime.Bot.Name}' over MCP (stdio): {string.Join(", ", tools.Select(t => t.ProtocolTool.Name))}").ConfigureAwait(false);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
