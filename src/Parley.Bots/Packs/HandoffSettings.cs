namespace Parley.Bots.Packs;

/// <summary>When and how a bot hands a conversation to a person (the manifest's <c>handoff</c>).</summary>
public sealed class HandoffSettings
{
    /// <summary>The default reply when the pack gives none.</summary>
    public const string DefaultReply = "I'm passing this conversation to a person on our team. They will get back to you as soon as they can.";

    /// <summary>After how many fallback replies in a row the bot hands off (the last of them). 0 never does. Default 2.</summary>
    public int AfterFallbacks { get; init; } = 2;

    /// <summary>Phrases and patterns that ask for a person.</summary>
    public RulePatterns Patterns { get; init; } = RulePatterns.None;

    /// <summary>An intent of the pack that asks for a person, or null.</summary>
    public string? Intent { get; init; }

    /// <summary>What the bot says when it hands off (after the fallback reply, when it hands off after fallbacks).</summary>
    public string Reply { get; init; } = DefaultReply;

    /// <summary>Where the transcript is posted on a handoff, or null for nowhere.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>The time all attempts to post the transcript may take together. Default 10 seconds.</summary>
    public TimeSpan WebhookDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times the transcript is posted at most. Default 3.</summary>
    public int WebhookAttempts { get; init; } = 3;

    /// <summary>Where it is defined, for messages: <c>file:line</c>.</summary>
    public string Location { get; init; } = "";
}
