namespace Parley.Core.Conversations;

/// <summary>
/// Stores conversations (sessions) and their messages so they can be listed and resumed.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use and keep each call atomic: an
/// <c>AppendAsync</c> that fails stores none of its messages or events.
/// </remarks>
public interface IConversationStore
{
    /// <summary>Creates a new, empty conversation for <paramref name="bot"/>.</summary>
    /// <param name="bot">The name of the bot the conversation belongs to.</param>
    /// <param name="id">The id to use, or <see langword="null"/> to generate one.</param>
    /// <param name="owner">Who the conversation belongs to (<see cref="Conversation.Owner"/>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The created conversation.</returns>
    /// <exception cref="ConversationStoreException">A conversation with <paramref name="id"/> already exists.</exception>
    Task<Conversation> CreateAsync(string bot, string? id = null, string? owner = null, CancellationToken cancellationToken = default);

    /// <summary>Loads a conversation with all its messages and events, oldest first.</summary>
    /// <returns>The conversation, or <see langword="null"/> when there is none with that id.</returns>
    Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Appends messages to a conversation in one transaction and updates its timestamp.</summary>
    /// <exception cref="ConversationStoreException">The conversation does not exist.</exception>
    Task AppendAsync(string id, IEnumerable<StoredMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends messages and then events to a conversation in one transaction: either all are stored or none. Each
    /// event's <see cref="ConversationEvent.AfterMessages"/> is set to the message count after the messages.
    /// </summary>
    /// <exception cref="ConversationStoreException">The conversation does not exist.</exception>
    Task AppendAsync(string id, IEnumerable<StoredMessage> messages, IEnumerable<ConversationEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Sets (or clears, with <see langword="null"/>) the system prompt that overrides the bot's persona.</summary>
    /// <exception cref="ConversationStoreException">The conversation does not exist.</exception>
    Task SetSystemPromptAsync(string id, string? systemPrompt, CancellationToken cancellationToken = default);

    /// <summary>Sets (or clears, with <see langword="null"/>) the conversation's title; it does not change its update time.</summary>
    /// <exception cref="ConversationStoreException">The conversation does not exist.</exception>
    Task SetTitleAsync(string id, string? title, CancellationToken cancellationToken = default);

    /// <summary>Lists conversations, most recently updated first.</summary>
    /// <param name="bot">Only conversations of this bot, or all when <see langword="null"/>.</param>
    /// <param name="limit">The maximum number of conversations to return.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    Task<IReadOnlyList<ConversationSummary>> ListAsync(string? bot = null, int limit = 50, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists one page of conversations, most recently updated first: those after the conversation
    /// <paramref name="after"/> in that order (the last id of the page before), or from the start when it is null.
    /// </summary>
    /// <param name="bot">Only conversations of this bot, or all when <see langword="null"/>.</param>
    /// <param name="limit">The maximum number of conversations to return.</param>
    /// <param name="after">The id of the last conversation of the page before; a conversation that no longer exists gives an empty page.</param>
    /// <param name="owner">Only conversations of this owner, or every owner's when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <remarks>The default lists every conversation and skips to <paramref name="after"/>; stores override it with a query that does not.</remarks>
    async Task<IReadOnlyList<ConversationSummary>> ListPageAsync(string? bot, int limit, string? after, string? owner = null, CancellationToken cancellationToken = default)
    {
        var all = (await ListAsync(bot, int.MaxValue, cancellationToken).ConfigureAwait(false))
            .Where(c => owner is null || string.Equals(c.Owner, owner, StringComparison.Ordinal))
            .ToList();
        var start = 0;
        if (after is not null)
        {
            start = all.Select(c => c.Id).ToList().IndexOf(after) + 1;
            if (start == 0)
            {
                return [];
            }
        }

        return [.. all.Skip(start).Take(limit)];
    }

    /// <summary>Deletes a conversation, its messages and its events.</summary>
    /// <returns><see langword="true"/> when a conversation was deleted.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}
