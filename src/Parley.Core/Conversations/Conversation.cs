namespace Parley.Core.Conversations;

/// <summary>A stored conversation: its identity, its bot, and its messages oldest first.</summary>
public sealed class Conversation
{
    /// <summary>Creates a conversation record.</summary>
    public Conversation(string id, string bot, DateTimeOffset created, DateTimeOffset updated)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(bot);
        Id = id;
        Bot = bot;
        Created = created;
        Updated = updated;
    }

    /// <summary>The conversation (session) id.</summary>
    public string Id { get; }

    /// <summary>The name of the bot this conversation talks to.</summary>
    public string Bot { get; }

    /// <summary>When the conversation was created.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>When a message was last appended.</summary>
    public DateTimeOffset Updated { get; set; }

    /// <summary>
    /// Who the conversation belongs to (an API key's owner id on a server with keys), or <see langword="null"/> when it
    /// belongs to no one in particular (made on an open server or from the command line).
    /// </summary>
    public string? Owner { get; init; }

    /// <summary>The name people gave the conversation, or <see langword="null"/> when it has none.</summary>
    public string? Title { get; set; }

    /// <summary>A system prompt set for this conversation that replaces the bot's persona, if any.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>The messages, oldest first.</summary>
    public List<StoredMessage> Messages { get; } = [];

    /// <summary>The events (handoffs, rules that fired, …), oldest first.</summary>
    public List<ConversationEvent> Events { get; } = [];
}
