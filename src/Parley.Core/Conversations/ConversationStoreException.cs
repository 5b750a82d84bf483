namespace Parley.Core.Conversations;

/// <summary>An expected failure of a conversation store: a missing conversation, a duplicate id, an unreadable database.</summary>
public sealed class ConversationStoreException : Exception
{
    /// <summary>Creates the exception with a message a user can act on.</summary>
    public ConversationStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
