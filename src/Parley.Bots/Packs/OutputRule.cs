namespace Parley.Bots.Packs;

/// <summary>
/// A rule checked on every reply before it is stored or sent (the manifest's <c>rules.output</c>), whichever stage wrote
/// it: when the reply contains one of its phrases or patterns, the sentence that brought it in and everything after it
/// are replaced by the rule's safe reply.
/// </summary>
public sealed class OutputRule
{
    /// <summary>The rule's name, reported when it fires.</summary>
    public required string Name { get; init; }

    /// <summary>What the rule forbids, in words; given to the LLM with the other rules.</summary>
    public string? Description { get; init; }

    /// <summary>The phrases and patterns a reply must not contain.</summary>
    public required RulePatterns Patterns { get; init; }

    /// <summary>The safe reply that replaces forbidden content.</summary>
    public required string Reply { get; init; }

    /// <summary>Where the rule is defined, for messages: <c>file:line</c>.</summary>
    public string Location { get; init; } = "";
}
