namespace Parley.Server.Sessions;

/// <summary>An event of a <see cref="SessionDetail"/>: a handoff, a rule that fired, a webhook posted.</summary>
/// <param name="Kind">What happened (<c>handoff</c>, <c>rule</c>, …).</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Detail">One line for people, when there is one.</param>
/// <param name="Data">Named values, when there are any.</param>
/// <param name="AfterMessages">How many of the session's messages came before it.</param>
public sealed record SessionEvent(string Kind, DateTimeOffset Timestamp, string? Detail, IReadOnlyDictionary<string, string>? Data, int AfterMessages);
