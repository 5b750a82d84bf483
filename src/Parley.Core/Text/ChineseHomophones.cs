using System.Collections.Frozen;
using System.Text;

namespace Parley.Core.Text;

/// <summary>
/// The character pairs of a body of Chinese text (a bot's intent examples), to correct a message's homophone typos: with
/// a pinyin input method the commonest typo is a character of the same sound picked from the candidate list — 运废 for
/// 运费, 退火 for 退货, 保家 for 保价. A Han character whose pairs with both neighbours never occur in the texts
/// becomes the character of the same toneless syllable that makes a pair the texts use.
/// </summary>
/// <remarks>
/// The readings (one toneless syllable per character of U+4E00–U+9FFF, the commonest reading of a polyphone) come from
/// ICU's Han-Latin transliteration, written once into <c>Data/pinyin.tsv</c> by <c>tools/Parley.PinyinTable</c>.
/// </remarks>
public sealed class ChineseHomophones
{
    private static readonly Lazy<Readings> Table = new(Readings.Load);

    private readonly FrozenSet<(char, char)> _pairs;
    private readonly FrozenDictionary<char, int> _counts;

    private ChineseHomophones(FrozenSet<(char, char)> pairs, FrozenDictionary<char, int> counts)
    {
        _pairs = pairs;
        _counts = counts;
    }

    /// <summary>The number of distinct pairs of neighbouring Han characters in the texts.</summary>
    public int Count => _pairs.Count;

    /// <summary>Collects the pairs of neighbouring Han characters of <paramref name="texts"/>.</summary>
    /// <param name="texts">The texts.</param>
    public static ChineseHomophones Create(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var pairs = new HashSet<(char, char)>();
        var counts = new Dictionary<char, int>();
        foreach (var text in texts)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (!HanScript.IsHan(text[i]))
                {
                    continue;
                }

                counts[text[i]] = counts.GetValueOrDefault(text[i]) + 1;
                if (i + 1 < text.Length && HanScript.IsHan(text[i + 1]))
                {
                    pairs.Add((text[i], text[i + 1]));
                }
            }
        }

        return new ChineseHomophones(pairs.ToFrozenSet(), counts.ToFrozenDictionary());
    }

    /// <summary>The toneless pinyin syllable of <paramref name="c"/> ("fei" for 费), or null for a character without one.</summary>
    /// <param name="c">A character.</param>
    public static string? Syllable(char c) => Table.Value.SyllableOf.TryGetValue(c, out var syllable) ? syllable : null;

    /// <summary>The characters of <paramref name="c"/>'s syllable, <paramref name="c"/> included (empty for a character without one).</summary>
    /// <param name="c">A character.</param>
    public static string SameSyllable(char c) => Syllable(c) is { } syllable ? Table.Value.CharactersOf[syllable] : "";

    /// <summary>
    /// <paramref name="query"/> with each homophone typo replaced, or null when no character changed. A Han character
    /// is replaced only when it pairs with a Han neighbour and none of its pairs occurs in the texts, by the character
    /// of the same syllable that makes the most pairs that do (the one the texts use most on a tie).
    /// </summary>
    /// <param name="query">The user's text.</param>
    public string? Correct(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_pairs.Count == 0)
        {
            return null;
        }

        var text = query.ToCharArray();
        var changed = false;
        for (var i = 0; i < text.Length; i++)
        {
            var left = i > 0 && HanScript.IsHan(text[i - 1]) ? text[i - 1] : (char?)null;
            var right = i + 1 < text.Length && HanScript.IsHan(text[i + 1]) ? text[i + 1] : (char?)null;
            if (!HanScript.IsHan(text[i]) || (left is null && right is null) || Known(left, text[i], right) > 0
                || Syllable(text[i]) is not { } syllable)
            {
                continue;
            }

            var best = text[i];
            var (bestKnown, bestCount) = (0, 0);
            foreach (var candidate in Table.Value.CharactersOf[syllable])
            {
                var known = Known(left, candidate, right);
                var count = _counts.GetValueOrDefault(candidate);
                if (known > bestKnown || (known == bestKnown && known > 0 && count > bestCount))
                {
                    (best, bestKnown, bestCount) = (candidate, known, count);
                }
            }

            if (best != text[i])
            {
                text[i] = best;
                changed = true;
            }
        }

        return changed ? new string(text) : null;
    }

    private int Known(char? left, char c, char? right) =>
        (left is { } l && _pairs.Contains((l, c)) ? 1 : 0) + (right is { } r && _pairs.Contains((c, r)) ? 1 : 0);

    private sealed record Readings(FrozenDictionary<char, string> SyllableOf, FrozenDictionary<string, string> CharactersOf)
    {
        public static Readings Load()
        {
            using var stream = typeof(ChineseHomophones).Assembly.GetManifestResourceStream("Parley.Core.Text.Data.pinyin.tsv")
                ?? throw new InvalidOperationException("The pinyin table is missing from Parley.Core.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var syllableOf = new Dictionary<char, string>();
            var charactersOf = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.ReadLine() is { } line)
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                var syllable = line[..tab];
                var characters = line[(tab + 1)..];
                charactersOf[syllable] = characters;
                foreach (var c in characters)
                {
                    syllableOf[c] = syllable;
                }
            }

            return new Readings(syllableOf.ToFrozenDictionary(), charactersOf.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }
}
