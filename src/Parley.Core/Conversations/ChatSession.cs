using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Parley.Core.Conversations;

/// <summary>
/// A conversation in progress: sends the user's messages with the stored history to a chat client and
/// persists every turn. The user's message is stored before the model is called; a reply is stored as soon as
/// it completes, and a streamed reply that is cut off (cancelled or failed) is stored marked incomplete.
/// </summary>
public sealed class ChatSession
{
    private readonly IChatClient _client;
    private readonly IConversationStore _store;
    private readonly string? _defaultSystemPrompt;
    private readonly TimeProvider _time;

    private ChatSession(IChatClient client, IConversationStore store, Conversation conversation, string? defaultSystemPrompt, TimeProvider time)
    {
        _client = client;
        _store = store;
        Conversation = conversation;
        _defaultSystemPrompt = defaultSystemPrompt;
        _time = time;
    }

    /// <summary>The stored conversation, kept up to date as turns are added.</summary>
    public Conversation Conversation { get; }

    /// <summary>The session id.</summary>
    public string Id => Conversation.Id;

    /// <summary>The system prompt in effect: the session's own, else the bot's.</summary>
    public string? SystemPrompt => Conversation.SystemPrompt ?? _defaultSystemPrompt;

    /// <summary>Resumes the session <paramref name="sessionId"/> or, when it is null or unknown, starts a new one.</summary>
    /// <param name="client">The bot's chat pipeline.</param>
    /// <param name="store">Where turns are persisted.</param>
    /// <param name="bot">The bot's name.</param>
    /// <param name="sessionId">The session to resume or create, or null for a new id.</param>
    /// <param name="defaultSystemPrompt">The bot's system prompt, used unless the session sets its own.</param>
    /// <param name="timeProvider">The clock for timestamps; the system clock by default.</param>
    /// <param name="owner">The owner a new session is created with (<see cref="Conversation.Owner"/>); an existing session keeps its own.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="ConversationStoreException">The session belongs to another bot.</exception>
    public static async Task<ChatSession> OpenAsync(
        IChatClient client,
        IConversationStore store,
        string bot,
        string? sessionId = null,
        string? defaultSystemPrompt = null,
        TimeProvider? timeProvider = null,
        string? owner = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(bot);
        var conversation = sessionId is null ? null : await store.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (conversation is not null && conversation.Bot != bot)
        {
            throw new ConversationStoreException($"Session '{sessionId}' belongs to bot '{conversation.Bot}', not '{bot}'. Start it with --bot for '{conversation.Bot}', or omit --session.");
        }

        conversation ??= await store.CreateAsync(bot, sessionId, owner, cancellationToken).ConfigureAwait(false);
        return new ChatSession(client, store, conversation, defaultSystemPrompt, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Continues a session the caller has already loaded from <paramref name="store"/> (saves loading it twice).</summary>
    /// <param name="client">The bot's chat pipeline.</param>
    /// <param name="store">Where turns are persisted.</param>
    /// <param name="conversation">The session as <paramref name="store"/> returned it.</param>
    /// <param name="defaultSystemPrompt">The bot's system prompt, used unless the session sets its own.</param>
    /// <param name="timeProvider">The clock for timestamps; the system clock by default.</param>
    public static ChatSession Resume(IChatClient client, IConversationStore store, Conversation conversation, string? defaultSystemPrompt = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(conversation);
        return new ChatSession(client, store, conversation, defaultSystemPrompt, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Sets the session's own system prompt (null returns to the bot's) and stores it.</summary>
    public async Task SetSystemPromptAsync(string? systemPrompt, CancellationToken cancellationToken = default)
    {
        var value = string.IsNullOrWhiteSpace(systemPrompt) ? null : systemPrompt.Trim();
        await _store.SetSystemPromptAsync(Id, value, cancellationToken).ConfigureAwait(false);
        Conversation.SystemPrompt = value;
    }

    /// <summary>
    /// Stores earlier messages of the conversation as its history, for example the history a stateless client sent
    /// when the session is created for it.
    /// </summary>
    public Task ImportHistoryAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return AppendAsync(messages, [], incomplete: false, cancellationToken);
    }

    /// <summary>
    /// Stores an event that happened outside a reply (for example the outcome of posting the transcript to a
    /// webhook). Events a pipeline attaches to a reply with <see cref="ConversationEvents.Add"/> are stored with the
    /// reply and need no call.
    /// </summary>
    public Task RecordAsync(ConversationEvent conversationEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationEvent);
        return AppendAsync([], [conversationEvent], incomplete: false, cancellationToken);
    }

    /// <summary>The messages sent to the model for the next turn: the system prompt, the history, then <paramref name="user"/>.</summary>
    public IReadOnlyList<ChatMessage> BuildPrompt(ChatMessage user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var messages = new List<ChatMessage>(Conversation.Messages.Count + 2);
        if (SystemPrompt is { } system)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        messages.AddRange(Conversation.Messages.Select(m => m.Message));
        messages.Add(user);
        return messages;
    }

    /// <summary>Sends a user message and returns the complete reply, after both are stored.</summary>
    public async Task<ChatResponse> SendAsync(string text, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var user = new ChatMessage(ChatRole.User, text);
        var prompt = BuildPrompt(user);
        await AppendAsync([user], [], incomplete: false, cancellationToken).ConfigureAwait(false);
        var response = await _client.GetResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false);
        await AppendAsync(
            WithProperties(response.Messages, response.AdditionalProperties),
            ConversationEvents.From(response.AdditionalProperties),
            incomplete: false,
            cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>
    /// Sends a user message and streams the reply. The reply is stored when the stream completes; if it is cut off,
    /// what arrived is stored marked incomplete before the error or cancellation reaches the caller.
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> SendStreamingAsync(
        string text, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var user = new ChatMessage(ChatRole.User, text);
        var prompt = BuildPrompt(user);
        await AppendAsync([user], [], incomplete: false, cancellationToken).ConfigureAwait(false);

        var updates = new List<ChatResponseUpdate>();
        var events = new List<ConversationEvent>();
        var completed = false;
        try
        {
            await foreach (var update in _client.GetStreamingResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
                events.AddRange(ConversationEvents.From(update.AdditionalProperties));
                yield return update;
            }

            completed = true;
        }
        finally
        {
            // Runs on completion, on error, and when the caller stops enumerating (Ctrl+C): nothing the user saw is lost.
            var response = updates.ToChatResponse();
            var messages = WithProperties(response.Messages, response.AdditionalProperties);
            if (completed || messages.Any(m => m.Contents.Count > 0) || events.Count > 0)
            {
                await AppendAsync(messages, events, incomplete: !completed, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task AppendAsync(IEnumerable<ChatMessage> messages, IReadOnlyList<ConversationEvent> events, bool incomplete, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var stored = messages.Select(m => new StoredMessage(m, now, incomplete)).ToArray();
        if (stored.Length == 0 && events.Count == 0)
        {
            return;
        }

        if (events.Count == 0)
        {
            await _store.AppendAsync(Id, stored, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _store.AppendAsync(Id, stored, events, cancellationToken).ConfigureAwait(false);
        }

        Conversation.Messages.AddRange(stored);
        var count = Conversation.Messages.Count;
        Conversation.Events.AddRange(events.Select(e => e with { AfterMessages = count }));
        Conversation.Updated = now;
    }

    /// <summary>Keeps the reply's metadata (for example how a bot answered) with its last message.</summary>
    private static IList<ChatMessage> WithProperties(IList<ChatMessage> messages, AdditionalPropertiesDictionary? properties)
    {
        if (properties is { Count: > 0 } && messages.Count > 0)
        {
            var last = messages[^1];
            last.AdditionalProperties ??= [];
            foreach (var (key, value) in properties)
            {
                if (key == ConversationEvents.PropertyKey)
                {
                    continue; // stored as events, not as message metadata
                }

                last.AdditionalProperties[key] = value;
            }
        }

        return messages;
    }
}
