using System.ComponentModel;
using System.Text;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Parley.Bots;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Bots.Tools.Mcp;
using Parley.Core.Conversations;
using Parley.Server.Errors;
using Parley.Server.Security;
using Parley.Server.Sessions;
using Parley.Tools.Invocation;
using Parley.Tools.Knowledge;

namespace Parley.Server.Mcp;

/// <summary>
/// The tools of <c>/mcp</c>: for each served bot, <c>ask_BOT</c> (a turn with the bot, in a stored session when one is
/// named) and <c>search_BOT_knowledge</c> (its knowledge, passages with sources). So any MCP client can use a Parley bot.
/// </summary>
internal static class BotConversationTools
{
    /// <summary>The tools of <paramref name="bot"/> for one request of <paramref name="caller"/>, whose sessions <c>ask_BOT</c> uses.</summary>
    public static IEnumerable<McpServerTool> Create(Bot bot, IConversationStore store, SessionLocks locks, ApiCaller caller)
    {
        var name = bot.Name.Replace('-', '_');
        var ask = AIFunctionFactory.Create(
            ([Description("The user's message.")] string message,
             [Description("A session id to continue (letters, digits, _ - . :); it is created when new. Leave out for a one-off question.")] string? session = null,
             CancellationToken cancellationToken = default) => AskAsync(bot, store, locks, caller, message, session, cancellationToken),
            new AIFunctionFactoryOptions
            {
                Name = $"ask_{name}",
                Description = $"Asks the bot '{bot.Name}' ({bot.Pack.Manifest.Description ?? bot.Pack.Manifest.DisplayName ?? "a Parley bot"}) and returns its answer with the sources it cited.",
            });
        var search = AIFunctionFactory.Create(
            new KnowledgeSearchTool(bot.Knowledge).SearchAsync,
            new AIFunctionFactoryOptions
            {
                Name = $"search_{name}_knowledge",
                Description = $"Searches the knowledge base of the bot '{bot.Name}' and returns the best passages with their source, title and score, best first.",
            });
        yield return BotMcpServerTools.ToMcp(ask, new McpServerToolCreateOptions { ReadOnly = false, Destructive = false, OpenWorld = false });
        yield return BotMcpServerTools.ToMcp(new GuardedAIFunction(search), new McpServerToolCreateOptions { ReadOnly = true, OpenWorld = false });
    }

    private static async Task<string> AskAsync(Bot bot, IConversationStore store, SessionLocks locks, ApiCaller caller, string message, string? session, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            throw new McpException("the message is empty");
        }

        string? id;
        try
        {
            id = SessionIds.Check(session, "session");
        }
        catch (ApiException e)
        {
            throw new McpException(e.Message);
        }

        ChatResponse response;
        if (id is null)
        {
            response = await bot.ChatClient.GetResponseAsync(
                [new ChatMessage(ChatRole.System, bot.SystemPrompt), new ChatMessage(ChatRole.User, message.Trim())], new ChatOptions(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var lease = await locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
            if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } existing && !caller.CanSee(existing.Owner))
            {
                // Another key's session: answered as one that does not exist, and never continued.
                throw new McpException($"no session '{id}': choose another session id");
            }

            ChatSession chat;
            try
            {
                chat = await ChatSession.OpenAsync(bot.ChatClient, store, bot.Name, id, bot.SystemPrompt, owner: caller.Owner, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ConversationStoreException)
            {
                throw new McpException($"the session '{id}' belongs to another bot; choose another session id");
            }

            response = await chat.SendAsync(message.Trim(), new ChatOptions().ForSession(id), cancellationToken).ConfigureAwait(false);
        }

        var text = new StringBuilder(response.Text);
        var sources = BotReplyInfo.From(response.AdditionalProperties).Sources;
        if (sources.Count > 0)
        {
            text.Append("\n\nSources:");
            for (var i = 0; i < sources.Count; i++)
            {
                text.Append($"\n[{i + 1}] {sources[i].Title} ({sources[i].Source})");
            }
        }

        return text.ToString();
    }
}
