namespace Parley.Bots.Packs;

/// <summary>The safety rules of a bot (the manifest's <c>rules</c>): checked on every message and every reply, offline and with an LLM.</summary>
public sealed class BotRules
{
    /// <summary>No rules.</summary>
    public static BotRules None { get; } = new();

    /// <summary>The rules checked on user messages, in priority order: the first that fires answers.</summary>
    public IReadOnlyList<InputRule> Input { get; init; } = [];

    /// <summary>The rules checked on replies, in order.</summary>
    public IReadOnlyList<OutputRule> Output { get; init; } = [];

    /// <summary>The texts appended to replies.</summary>
    public IReadOnlyList<Disclaimer> Disclaimers { get; init; } = [];

    /// <summary>Whether there are no rules at all.</summary>
    public bool IsEmpty => Input.Count == 0 && Output.Count == 0 && Disclaimers.Count == 0;
}
