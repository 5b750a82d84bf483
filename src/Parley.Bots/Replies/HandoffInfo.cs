namespace Parley.Bots.Replies;

/// <summary>A reply that handed the conversation to a person.</summary>
/// <param name="Reason"><c>request</c> (the user asked for a person) or <c>fallbacks</c> (the bot could not answer several times in a row).</param>
/// <param name="Delivered">Whether the transcript reached the pack's webhook; null when there is none.</param>
public sealed record HandoffInfo(string Reason, bool? Delivered);
