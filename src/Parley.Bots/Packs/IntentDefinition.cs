namespace Parley.Bots.Packs;

/// <summary>An intent of a bot: what users say, and how the bot answers when it is sure.</summary>
public sealed class IntentDefinition
{
    /// <summary>The intent's name (snake_case by convention).</summary>
    public required string Name { get; init; }

    /// <summary>What the intent covers.</summary>
    public string? Description { get; init; }

    /// <summary>Example utterances.</summary>
    public required IReadOnlyList<string> Examples { get; init; }

    /// <summary>The answer template, or null when the intent has none (the message then goes on to knowledge or the LLM).</summary>
    public string? Response { get; init; }

    /// <summary>The knowledge document (relative to the knowledge folder) the answer is based on, cited with it.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// The intent's own out-of-scope gate (its <c>threshold</c>), overriding <c>thresholds.intent</c> for it: a message
    /// is this intent only when its closest example of this intent is at least this similar. Null to use the bot's.
    /// </summary>
    public double? Threshold { get; init; }

    /// <summary>The tool the intent runs (one of the manifest's <c>tools</c>), or null.</summary>
    public string? Tool { get; init; }

    /// <summary>The tool arguments filled from the message, asked for when missing.</summary>
    public IReadOnlyList<SlotDefinition> Slots { get; init; } = [];

    /// <summary>Where the intent is defined, for messages: <c>file:line</c>.</summary>
    public string Location { get; init; } = "";
}
