namespace Parley.Core.Conversations;

/// <summary>
/// Something that happened in a conversation besides its messages: a handoff to a person, a rule that fired, a
/// webhook that was posted. Events are stored with the conversation and shown by <c>sessions show</c>, the sessions
/// API and <c>ask --json</c>.
/// </summary>
/// <param name="Kind">What happened, a short lower-case name such as <c>handoff</c> or <c>rule</c>.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Detail">One line for people, or <see langword="null"/>.</param>
/// <param name="Data">Named values for programs (rule names, reasons, status codes), or <see langword="null"/>.</param>
public sealed record ConversationEvent(
    string Kind,
    DateTimeOffset Timestamp,
    string? Detail = null,
    IReadOnlyDictionary<string, string>? Data = null)
{
    /// <summary>
    /// How many messages the conversation held when the event was stored: the event happened after message
    /// <c>AfterMessages - 1</c>. Set by the store; ignored when appending.
    /// </summary>
    public int AfterMessages { get; init; }
}
