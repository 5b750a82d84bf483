using Microsoft.Extensions.AI;

namespace Parley.Core.Conversations;

/// <summary>A message as stored in a conversation.</summary>
/// <param name="Message">The message, tool calls and tool results included.</param>
/// <param name="Timestamp">When the message was produced.</param>
/// <param name="Incomplete">
/// <see langword="true"/> when the message is a reply that was cut off (cancelled or failed mid-stream):
/// what the user saw is kept, and marked so it can be told apart from a finished reply.
/// </param>
public sealed record StoredMessage(ChatMessage Message, DateTimeOffset Timestamp, bool Incomplete = false);
