namespace Parley.Bots.Packs;

/// <summary>A text appended to replies (the manifest's <c>rules.disclaimers</c>).</summary>
public sealed class Disclaimer
{
    /// <summary>The disclaimer's name, reported when it is added. Default <c>disclaimer</c>.</summary>
    public string Name { get; init; } = "disclaimer";

    /// <summary>The text appended, after a blank line.</summary>
    public required string Text { get; init; }

    /// <summary>
    /// The routes (<see cref="Replies.BotRoutes"/>) whose replies get it; empty for every reply except a rule's own
    /// fixed reply.
    /// </summary>
    public IReadOnlyList<string> Routes { get; init; } = [];
}
