using System.Globalization;
using System.Text.RegularExpressions;
using Parley.Bots.Packs;
using Parley.Tools.Dates;

namespace Parley.Bots.Tools;

/// <summary>Fills an intent's slots from a message with the built-in entities and the pack's gazetteers and patterns.</summary>
internal sealed partial class SlotExtractor
{
    private readonly IReadOnlyDictionary<string, EntityDefinition> _entities;
    private readonly DatePhraseResolver _dates;
    private readonly TimeZoneInfo _zone;

    public SlotExtractor(BotPack pack, TimeProvider timeProvider, TimeZoneInfo zone)
    {
        _entities = pack.Manifest.Entities.ToDictionary(e => e.Name, StringComparer.Ordinal);
        _dates = new DatePhraseResolver(timeProvider);
        _zone = zone;
    }

    /// <summary>Fills every slot the message has a value for.</summary>
    public Dictionary<string, string> ExtractAll(IntentDefinition intent, string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slot in intent.Slots)
        {
            if (Extract(slot, text, followUp: false) is { } value)
            {
                values[slot.Name] = value;
            }
        }

        return values;
    }

    /// <summary>
    /// The slot's value in <paramref name="text"/>, or null. A follow-up (the user answering the slot's prompt) may be the
    /// bare value: free-text entities take the whole answer, a gazetteer takes a short answer it does not list.
    /// </summary>
    public string? Extract(SlotDefinition slot, string text, bool followUp)
    {
        var trimmed = text.Trim().TrimEnd('.', '!', '?', '。', '！', '？');
        switch (slot.Entity)
        {
            case "date_time" or "date":
                return _dates.Resolve(text, _zone) is { } phrase
                    ? string.Join(' ', phrase.Spans.Select(s => text[s].Trim()))
                    : null;
            case "number":
                return NumberPattern().Match(text) is { Success: true } number ? number.Value.Replace(",", "", StringComparison.Ordinal) : null;
            case "message":
                return trimmed.Length == 0 ? null : trimmed;
            case "title":
                return Strip(followUp ? trimmed : WithoutDate(trimmed), TitleWords());
            case "event":
                return EventNumber().Match(text) is { Success: true } id ? id.Groups[1].Value : Strip(WithoutDate(trimmed), EventWords());
        }

        var entity = _entities[slot.Entity];
        if (entity.Pattern is { } pattern)
        {
            var match = pattern.Match(text);
            return match.Success ? (match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value : match.Value) : null;
        }

        foreach (var value in entity.Values.OrderByDescending(v => v.Length))
        {
            var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && (at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (at + value.Length == text.Length || !char.IsLetterOrDigit(text[at + value.Length])))
            {
                return value;
            }
        }

        var bare = LeadingPreposition().Replace(trimmed, "");
        return followUp && bare.Length > 0 && bare.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 4
            ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(bare)
            : null;
    }

    /// <summary>Whether a date slot's value names a time too (a meeting needs one).</summary>
    public bool IsComplete(SlotDefinition slot, string value) =>
        slot.Entity != "date_time" || _dates.Resolve(value, _zone)?.HasTime == true;

    private string WithoutDate(string text) => _dates.Resolve(text, _zone) is { } phrase ? phrase.RemoveFrom(text) : text;

    private static string? Strip(string text, Regex words)
    {
        string previous;
        do
        {
            previous = text;
            text = words.Replace(text, "").Trim().Trim(',', '.', '!', '?', '。', '，');
        }
        while (text != previous);
        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex(@"-?\d[\d,]*(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^(?:(?:please|can you|could you|i want to|i'd like to|book|schedule|add|set up|create|put|arrange|make|plan|a|an|the|my|new|me|in my calendar|to my calendar)\b|帮我|给我|请|安排|预约|预定|添加|一个)\s*|\s*\b(?:for me|please|in my calendar|to my calendar|on my calendar|at|on|for)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TitleWords();

    [GeneratedRegex(@"^(?:(?:please|can you|could you|move|reschedule|push|shift|cancel|delete|remove|drop|call off|the|my|a|an)\b|把|取消|删除|移到|改到)\s*|\s*\b(?:to|for|please|from my calendar|on|at)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EventWords();

    [GeneratedRegex(@"(?:\bevent\s*|#)(\d+)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EventNumber();

    [GeneratedRegex(@"^(?:in|at|for|to)\s+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LeadingPreposition();
}
