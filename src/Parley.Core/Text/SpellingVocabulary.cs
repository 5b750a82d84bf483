using System.Text.RegularExpressions;

namespace Parley.Core.Text;

/// <summary>
/// The words of a body of text (knowledge passages, a bot's intent examples), to correct misspelt words of a message:
/// a word of four or more letters that the texts never use becomes their most frequent word within one edit (two for
/// words of eight or more letters; an edit is an insertion, deletion, substitution or swap of two neighbours).
/// </summary>
public sealed partial class SpellingVocabulary
{
    private readonly Dictionary<string, int> _counts;
    private readonly Dictionary<int, string[]> _byLength;

    private SpellingVocabulary(Dictionary<string, int> counts)
    {
        _counts = counts;
        _byLength = counts.Keys.GroupBy(w => w.Length).ToDictionary(g => g.Key, g => g.OrderByDescending(w => counts[w]).ThenBy(w => w, StringComparer.Ordinal).ToArray());
    }

    /// <summary>The number of distinct words.</summary>
    public int Count => _counts.Count;

    /// <summary>Collects the words of <paramref name="texts"/> (in lower case, with how often each occurs).</summary>
    /// <param name="texts">The texts.</param>
    public static SpellingVocabulary Create(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (Match match in WordRegex().Matches(text))
            {
                var word = match.Value.ToLowerInvariant();
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }

        return new SpellingVocabulary(counts);
    }

    /// <summary>Whether the texts use <paramref name="word"/> (in any case).</summary>
    public bool Contains(string word) => _counts.ContainsKey(word.ToLowerInvariant());

    /// <summary>
    /// <paramref name="query"/> with each misspelt word replaced by its correction, or null when no word changed.
    /// Words the texts use, words under four letters and words with no close word stay as written.
    /// </summary>
    /// <param name="query">The user's text.</param>
    /// <param name="known">
    /// More words to leave as written although these texts do not use them (a bot's knowledge, whose words are real
    /// words: "eight" is not a misspelling of an example's "right"); null for none.
    /// </param>
    public string? Correct(string query, SpellingVocabulary? known = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var changed = false;
        var corrected = WordRegex().Replace(query, match =>
        {
            var word = match.Value.ToLowerInvariant();
            if (word.Length < 4 || _counts.ContainsKey(word) || known?._counts.ContainsKey(word) == true
                || Nearest(word, MaxEdits(word.Length)) is not { } replacement)
            {
                return match.Value;
            }

            changed = true;
            return replacement;
        });
        return changed ? corrected : null;
    }

    /// <summary>
    /// Whether <paramref name="query"/> has a word that looks misspelt against these texts: a word of two or more
    /// letters that they never use, with one of theirs within one edit (<see cref="MaxEdits"/> from four letters on).
    /// Unlike <see cref="Correct"/>, short words count: "ho" or "fo" is not worth correcting (too many words are one
    /// edit away), but it is a typo. A plural or singular of a word they use ("skillet" for "skillets") is not.
    /// </summary>
    /// <param name="query">The user's text.</param>
    public bool HasMisspelling(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (Match match in WordRegex().Matches(query))
        {
            var word = match.Value.ToLowerInvariant();
            if (word.Length >= 2 && !_counts.ContainsKey(word) && !IsInflection(word) && Nearest(word, Math.Max(1, MaxEdits(word.Length))) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many edits a misspelling of a word this long may have: none under four letters, one up to seven, then two.</summary>
    public static int MaxEdits(int length) => length < 4 ? 0 : length >= 8 ? 2 : 1;

    private bool IsInflection(string word) =>
        _counts.ContainsKey(word + "s") || _counts.ContainsKey(word + "es")
        || (word.EndsWith('s') && (_counts.ContainsKey(word[..^1]) || (word.EndsWith("es", StringComparison.Ordinal) && _counts.ContainsKey(word[..^2]))));

    private string? Nearest(string word, int maxEdits)
    {
        string? best = null;
        var bestEdits = int.MaxValue;
        var bestCount = 0;
        for (var length = word.Length - maxEdits; length <= word.Length + maxEdits; length++)
        {
            if (!_byLength.TryGetValue(length, out var candidates))
            {
                continue;
            }

            foreach (var candidate in candidates)
            {
                var edits = Distance(word, candidate, maxEdits);
                var count = _counts[candidate];
                if (edits <= maxEdits && (edits < bestEdits || (edits == bestEdits && count > bestCount)))
                {
                    (best, bestEdits, bestCount) = (candidate, edits, count);
                }
            }
        }

        return best;
    }

    /// <summary>The optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring), or more than <paramref name="max"/> once it is certain to be.</summary>
    /// <param name="a">One word.</param>
    /// <param name="b">The other word.</param>
    /// <param name="max">The largest distance of interest.</param>
    public static int Distance(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return max + 1;
        }

        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, before[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > max)
            {
                return max + 1;
            }

            (before, previous, current) = (previous, current, before);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"\p{L}+(?:'\p{L}+)?")]
    private static partial Regex WordRegex();
}
