namespace Parley.Core.Conversations;

/// <summary>
/// Lets one turn of a conversation run at a time across every process that shares a store (several servers on one
/// PostgreSQL database), so each turn sees the history the one before left and turns are stored in the order they ran.
/// </summary>
public interface IConversationLocks
{
    /// <summary>Waits until no other process holds the lock of <paramref name="conversationId"/>, then takes it.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; cancels the wait.</param>
    /// <returns>The lease: dispose it to release the lock.</returns>
    /// <exception cref="ConversationStoreException">The lock cannot be taken (the database cannot be reached).</exception>
    Task<IDisposable> AcquireAsync(string conversationId, CancellationToken cancellationToken = default);
}
