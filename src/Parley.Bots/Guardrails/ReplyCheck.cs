using System.Text;
using Parley.Bots.Packs;

namespace Parley.Bots.Guardrails;

/// <summary>
/// Checks a reply against output rules as it grows, releasing it one sentence at a time: a sentence is released only
/// once the reply up to its end has been checked, so forbidden content is caught before any of its sentence is shown.
/// A whole reply is checked the same way, so a streamed and a complete reply end the same.
/// </summary>
internal sealed class ReplyCheck(IReadOnlyList<OutputRule> rules)
{
    private readonly StringBuilder _text = new();

    /// <summary>The length of the text released so far.</summary>
    public int Released { get; private set; }

    /// <summary>The released text.</summary>
    public string ReleasedText => _text.ToString(0, Released);

    /// <summary>The rule that fired, once one has.</summary>
    public OutputRule? Violated { get; private set; }

    /// <summary>Adds text and returns the part that can now be released (empty while a sentence is incomplete or after a rule fired).</summary>
    /// <param name="text">More of the reply.</param>
    /// <param name="final">Whether the reply is complete (the rest is checked and released).</param>
    public string Append(string text, bool final)
    {
        if (Violated is not null)
        {
            return "";
        }

        _text.Append(text);
        var all = _text.ToString();
        var start = Released;
        var ends = SentenceBoundaries.Ends(all, Released).ToList();
        if (final && (ends.Count == 0 || ends[^1] < all.Length))
        {
            ends.Add(all.Length);
        }

        foreach (var end in ends)
        {
            var prefix = all[..end];
            if (rules.FirstOrDefault(r => r.Patterns.Find(prefix) is not null) is { } rule)
            {
                Violated = rule;
                break;
            }

            Released = end;
        }

        return all[start..Released];
    }

    /// <summary>The text that replaces the reply once a rule fired: the released sentences, then the rule's safe reply.</summary>
    public string Replacement(OutputRule rule) =>
        Released == 0 ? rule.Reply : ReleasedText + Separator(ReleasedText) + rule.Reply;

    /// <summary>What goes between released text and appended text so that they are a paragraph apart.</summary>
    public static string Separator(string before) =>
        before.EndsWith("\n\n", StringComparison.Ordinal) ? "" : before.EndsWith('\n') ? "\n" : "\n\n";
}
