namespace Parley.Bots.Replies;

/// <summary>A tool call made (or proposed) while answering a message.</summary>
/// <param name="Name">The tool's name, e.g. <c>calendar_create</c>.</param>
/// <param name="Arguments">The arguments it was called with.</param>
/// <param name="Result">What it returned, or null when it did not run (waiting for approval, or denied).</param>
/// <param name="Approved">True or false for a tool that needs approval (false: denied, or not yet approved when <paramref name="Result"/> is null); null for one that does not.</param>
public sealed record ToolCallRecord(string Name, IReadOnlyDictionary<string, object?> Arguments, string? Result, bool? Approved);
