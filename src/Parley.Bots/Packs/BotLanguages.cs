using System.Globalization;
using System.Text;
using Parley.Core.Text;

namespace Parley.Bots.Packs;

/// <summary>The values of a pack's <c>language</c> key.</summary>
public static class BotLanguages
{
    /// <summary>English: knowledge searched by all-MiniLM-L6-v2 vectors; English messages.</summary>
    public const string English = "en";

    /// <summary>
    /// Chinese: knowledge searched lexically (BM25 over SmartCn word segmentation, see
    /// <see cref="Knowledge.LexicalKnowledgeSearch"/>), because the English sentence encoder gives Chinese text
    /// near-meaningless vectors; Chinese messages.
    /// </summary>
    public const string Chinese = "zh";

    /// <summary>Every supported value, in the order they are listed in errors.</summary>
    public static readonly IReadOnlyList<string> All = [English, Chinese];

    /// <summary>
    /// The language <paramref name="text"/> is written in, when it is plainly one of <see cref="All"/>: Chinese when at
    /// least half of its letters are Han characters and none is Japanese kana or Korean hangul; English when at least
    /// half are Latin letters and it has two words or more (so any language in Latin letters counts as English, as it
    /// does for a pack's features); else null (too short, mixed, or another script).
    /// </summary>
    /// <param name="text">A user's message.</param>
    public static string? Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int letters = 0, han = 0, latin = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                continue;
            }

            letters++;
            if (rune.Value is (>= 0x3040 and <= 0x30FF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0x1100 and <= 0x11FF))
            {
                return null;
            }

            han += Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherLetter && HanScript.IsHan(rune.Value) ? 1 : 0;
            latin += rune.Value < 0x0250 || (rune.Value >= 0x1E00 && rune.Value < 0x1F00) ? 1 : 0;
        }

        if (letters == 0)
        {
            return null;
        }

        if (han * 2 >= letters)
        {
            return Chinese;
        }

        return latin * 2 >= letters && text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length >= 2 ? English : null;
    }
}
