namespace Parley.Tools.Dates;

/// <summary>A date and/or time read from a message by <see cref="DatePhraseResolver"/>.</summary>
/// <param name="Value">The moment, in the user's time zone (its offset is the zone's at that moment). Midnight when <paramref name="HasTime"/> is false.</param>
/// <param name="HasDate">Whether the message named a day ("tomorrow", "next Tuesday", "in two hours" counts as both).</param>
/// <param name="HasTime">Whether the message named a time of day ("at 3pm", "morning", "in two hours").</param>
/// <param name="Spans">Where in the message the phrase was found, so the rest (say, an event's title) can be taken apart from it.</param>
public sealed record DatePhrase(DateTimeOffset Value, bool HasDate, bool HasTime, IReadOnlyList<Range> Spans)
{
    /// <summary>The message without the phrase's words, with spaces tidied.</summary>
    public string RemoveFrom(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.ToCharArray();
        foreach (var span in Spans)
        {
            var (offset, length) = span.GetOffsetAndLength(chars.Length);
            Array.Fill(chars, ' ', offset, length);
        }

        return string.Join(' ', new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
