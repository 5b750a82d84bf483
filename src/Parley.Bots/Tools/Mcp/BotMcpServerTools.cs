using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Parley.Tools;
using Parley.Tools.Invocation;

namespace Parley.Bots.Tools.Mcp;

/// <summary>
/// A bot's tools as an MCP server offers them (<c>parley mcp</c> over stdio, <c>/mcp/BOT</c> in <c>parley serve</c>):
/// every tool that runs without the user's approval. Tools that need approval are left out — an MCP client cannot
/// answer the bot's approval question — unless the server is started with approval given up front. Results are plain
/// text, a failing call is an MCP tool error (<c>isError</c>) with the tool's message, and built-in tools carry the
/// read-only / destructive / open-world annotations, so a client (a Parley bot among them) knows which ones change things.
/// </summary>
public static class BotMcpServerTools
{
    /// <summary>The calendar MCP calls work on (MCP clients have no Parley session).</summary>
    public const string Conversation = "default";

    /// <summary>The bot's tools as MCP server tools.</summary>
    /// <param name="bot">The bot.</param>
    /// <param name="approvedUpFront">True to offer the tools that need approval too, as if every call were approved.</param>
    public static IReadOnlyList<McpServerTool> Create(Bot bot, bool approvedUpFront = false)
    {
        ArgumentNullException.ThrowIfNull(bot);
        if (bot.Toolbox is null)
        {
            return [];
        }

        return [.. bot.Toolbox.For(Conversation, approvedUpFront)
            .Values
            .Where(f => f is not ApprovalRequiredAIFunction)
            .Select(f => ToMcp(f, Annotations(f.Name)))];
    }

    /// <summary>
    /// A function as an MCP server tool: its result as plain text, and a failure the guard reports ("Error: …") as an
    /// MCP tool error. Wrap functions that can throw <see cref="Parley.Tools.ToolException"/> in a <see cref="GuardedAIFunction"/> first.
    /// </summary>
    public static McpServerTool ToMcp(AIFunction function, McpServerToolCreateOptions? options = null) =>
        McpServerTool.Create(new TextResultFunction(function), options);

    /// <summary>What MCP clients are told about a tool: built-in tools say whether they only read (calendar changes do not).</summary>
    private static McpServerToolCreateOptions Annotations(string name) => BuiltInTools.Names.Contains(name)
        ? new() { ReadOnly = !BuiltInTools.SideEffecting.Contains(name), Destructive = name == BuiltInTools.CalendarCancel, OpenWorld = name == BuiltInTools.Weather }
        : new();

    /// <summary>The tool's result as text; a failure reported by the guard becomes an MCP tool error.</summary>
    private sealed class TextResultFunction(AIFunction inner) : DelegatingAIFunction(inner)
    {
        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            var result = await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
            var text = GuardedAIFunction.ResultText(result) ?? "";
            return GuardedAIFunction.IsError(text) ? throw new McpException(text[GuardedAIFunction.ErrorPrefix.Length..]) : text;
        }
    }
}
