namespace Parley.Bots.Packs;

/// <summary>
/// A rule checked on every user message before anything else answers it (the manifest's <c>rules.input</c>): when the
/// message contains one of its phrases or patterns, or is recognised as its intent, the rule's fixed reply comes first.
/// </summary>
public sealed class InputRule
{
    /// <summary>The rule's name, reported when it fires.</summary>
    public required string Name { get; init; }

    /// <summary>What the rule is for, in words; given to the LLM with the other rules.</summary>
    public string? Description { get; init; }

    /// <summary>The phrases and patterns that make the rule fire.</summary>
    public RulePatterns Patterns { get; init; } = RulePatterns.None;

    /// <summary>An intent of the pack that makes the rule fire when a message is recognised as it, or null.</summary>
    public string? Intent { get; init; }

    /// <summary>The fixed reply.</summary>
    public required string Reply { get; init; }

    /// <summary>Whether the reply is the whole answer or comes before the bot's usual answer.</summary>
    public InputRuleAction Then { get; init; } = InputRuleAction.Stop;

    /// <summary>Where the rule is defined, for messages: <c>file:line</c>.</summary>
    public string Location { get; init; } = "";
}
