using Microsoft.Extensions.AI;
using Parley.Bots;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Core.History;
using Parley.Server.Errors;
using Parley.Server.Security;
using Parley.Server.Sessions;

namespace Parley.Server.Chat;

/// <summary>
/// One request to a bot: stateless (the request's messages, with the bot's persona when they have no system message)
/// or, when the request names a session, the session's stored history and the request's last user message.
/// </summary>
internal sealed class BotTurn
{
    private readonly Bot _bot;
    private readonly ChatSession? _session;
    private readonly string? _userText;

    private BotTurn(Bot bot, IReadOnlyList<ChatMessage> prompt, ChatSession? session, string? userText)
    {
        _bot = bot;
        Prompt = prompt;
        _session = session;
        _userText = userText;
        Counter = ChatTokenCounter.ForModel(bot.ModelId ?? bot.Pack.Manifest.Model.Id ?? "gpt-4o-mini");
    }

    /// <summary>The messages the bot answers.</summary>
    public IReadOnlyList<ChatMessage> Prompt { get; }

    /// <summary>The session id, when the turn is stored.</summary>
    public string? SessionId => _session?.Id;

    /// <summary>Counts tokens as the bot's model does.</summary>
    public ChatTokenCounter Counter { get; }

    /// <summary>
    /// Starts a turn. With a session id, the session's stored history is used and the request's last message must be
    /// the user's new one. Without one, a new session is stored: the request's earlier messages become its history
    /// (a system message becomes its system prompt), so a client can continue it later with the returned id. A
    /// request whose last message is not the user's (e.g. a tool result) is answered without storing anything.
    /// </summary>
    /// <remarks>
    /// A session <paramref name="caller"/> may not see (another key's) is answered 404, as one that does not exist; a new
    /// session belongs to the caller.
    /// </remarks>
    public static async Task<BotTurn> StartAsync(Bot bot, ChatCompletionRequest request, string? sessionId, IConversationStore store, ApiCaller caller, CancellationToken cancellationToken)
    {
        ResponseFormatWire.RequireText(request.ResponseFormat, bot.Name, "bot model");

        var last = request.Messages[^1];
        if (last.Role != ChatRole.User)
        {
            if (sessionId is not null)
            {
                throw ApiException.Invalid($"messages[{request.Messages.Count - 1}].role", "with X-Parley-Session, the last message must be the user's new message (the history comes from the session)");
            }

            var prompt = request.Messages.Any(m => m.Role == ChatRole.System)
                ? request.Messages
                : [new ChatMessage(ChatRole.System, bot.SystemPrompt), .. request.Messages];
            return new BotTurn(bot, prompt, null, null);
        }

        var existing = sessionId is null ? null : await store.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (existing is not null && !caller.CanSee(existing.Owner))
        {
            throw SessionEndpoints.NotFound(sessionId!, ChatCompletionEndpoints.SessionHeader);
        }

        if (existing is not null && existing.Bot != bot.Name)
        {
            throw SessionModelMismatch(sessionId!, existing.Bot, bot.Name);
        }

        ChatSession session;
        if (existing is not null)
        {
            session = ChatSession.Resume(bot.ChatClient, store, existing, bot.SystemPrompt);
        }
        else
        {
            try
            {
                session = await ChatSession.OpenAsync(bot.ChatClient, store, bot.Name, sessionId, bot.SystemPrompt, owner: caller.Owner, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ConversationStoreException) when (sessionId is not null)
            {
                // Created meanwhile by a request that did not hold this server's lock (another server without shared
                // locks); the store's own message is for the command line (it names flags and files).
                if (await store.GetAsync(sessionId, cancellationToken).ConfigureAwait(false) is { } other && other.Bot != bot.Name)
                {
                    throw SessionModelMismatch(sessionId, other.Bot, bot.Name);
                }

                throw;
            }
        }

        if (sessionId is null)
        {
            await SeedAsync(session, request.Messages.Take(request.Messages.Count - 1).ToArray(), cancellationToken).ConfigureAwait(false);
        }

        return new BotTurn(bot, session.BuildPrompt(last), session, last.Text);
    }

    private static ApiException SessionModelMismatch(string sessionId, string sessionBot, string bot) =>
        new(400, $"the session '{sessionId}' belongs to the model '{sessionBot}', not '{bot}'", ChatCompletionEndpoints.SessionHeader, "session_model_mismatch");

    /// <summary>Stores the history a stateless client sent, so the new session holds the whole conversation.</summary>
    private static async Task SeedAsync(ChatSession session, IReadOnlyList<ChatMessage> history, CancellationToken cancellationToken)
    {
        var system = string.Join("\n\n", history.Where(m => m.Role == ChatRole.System).Select(m => m.Text).Where(t => t.Length > 0));
        if (system.Length > 0)
        {
            await session.SetSystemPromptAsync(system, cancellationToken).ConfigureAwait(false);
        }

        await session.ImportHistoryAsync(history.Where(m => m.Role != ChatRole.System), cancellationToken).ConfigureAwait(false);
    }

    public ChatOptions CreateOptions(ChatCompletionRequest request)
    {
        // The bot's pipeline adds the pack's model settings (Bot.CreateAsync): its model, its temperature unless the
        // request sets one, its output limit as a cap on the request's.
        var options = new ChatOptions
        {
            Temperature = request.Temperature,
            TopP = request.TopP,
            Seed = request.Seed,
            StopSequences = request.Stop?.ToList(),
            MaxOutputTokens = request.MaxTokens,
        };
        if (_session is not null)
        {
            // Tools work on the session's own state (its calendar); a stateless turn uses the shared "default" one.
            options.ForSession(_session.Id);
        }

        return options;
    }

    public Task<ChatResponse> GetResponseAsync(ChatOptions options, CancellationToken cancellationToken) =>
        _session is null
            ? _bot.ChatClient.GetResponseAsync(Prompt, options, cancellationToken)
            : _session.SendAsync(_userText!, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(ChatOptions options, CancellationToken cancellationToken) =>
        _session is null
            ? _bot.ChatClient.GetStreamingResponseAsync(Prompt, options, cancellationToken)
            : _session.SendStreamingAsync(_userText!, options, cancellationToken);
}
