namespace Parley.Server.Sessions;

/// <summary>A stored message of a <see cref="SessionDetail"/>.</summary>
/// <param name="Role">The author's role.</param>
/// <param name="Content">The text.</param>
/// <param name="Timestamp">When it was stored.</param>
/// <param name="Incomplete">True when the reply was cut off; left out otherwise.</param>
/// <param name="Parley">For a bot's reply, how it answered (route, intent, sources, tool calls) as in a completion's <c>parley</c> field; left out otherwise.</param>
public sealed record SessionMessage(string Role, string Content, DateTimeOffset Timestamp, bool? Incomplete, Chat.ParleyReplyInfo? Parley = null);
