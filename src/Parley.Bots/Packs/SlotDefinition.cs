namespace Parley.Bots.Packs;

/// <summary>A tool argument an intent fills from the user's words, asking for it when it is missing.</summary>
public sealed class SlotDefinition
{
    /// <summary>The built-in entities: <c>date_time</c> (a day and a time), <c>date</c> (a day), <c>number</c>, <c>title</c> (the message without its date and command words), <c>event</c> (an event number or title words) and <c>message</c> (the whole message).</summary>
    public static readonly IReadOnlyList<string> BuiltInEntities = ["date_time", "date", "number", "title", "event", "message"];

    /// <summary>The tool parameter the slot fills.</summary>
    public required string Name { get; init; }

    /// <summary>The entity it is filled from: a built-in one or one of the manifest's <c>entities</c>.</summary>
    public required string Entity { get; init; }

    /// <summary>The question asked when the slot is missing, e.g. "Which city?".</summary>
    public required string Prompt { get; init; }

    /// <summary>Whether the tool cannot run without it. Default true.</summary>
    public bool Required { get; init; } = true;
}
