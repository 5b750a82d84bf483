using System.Text.RegularExpressions;

namespace Parley.Retrieval.Knowledge;

/// <summary>
/// The words of the knowledge passages, to correct misspelt query words: a word of four or more letters that the
/// passages never use becomes the most frequent passage word within one edit (two for words of eight or more
/// letters; an edit is an insertion, deletion, substitution or swap of two neighbours).
/// </summary>
public sealed partial class KnowledgeVocabulary
{
    private readonly Dictionary<string, int> _counts;
    private readonly Dictionary<int, string[]> _byLength;

    private KnowledgeVocabulary(Dictionary<string, int> counts)
    {
        _counts = counts;
        _byLength = counts.Keys.GroupBy(w => w.Length).ToDictionary(g => g.Key, g => g.OrderByDescending(w => counts[w]).ThenBy(w => w, StringComparer.Ordinal).ToArray());
    }

    /// <summary>The number of distinct words.</summary>
    public int Count => _counts.Count;

    /// <summary>Collects the words of the passages' titles, headings and texts.</summary>
    /// <param name="passages">The passages.</param>
    public static KnowledgeVocabulary Create(IEnumerable<KnowledgePassage> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var passage in passages)
        {
            foreach (var text in (ReadOnlySpan<string>)[passage.Title, passage.Heading, passage.Text])
            {
                foreach (Match match in WordRegex().Matches(text))
                {
                    var word = match.Value.ToLowerInvariant();
                    counts[word] = counts.GetValueOrDefault(word) + 1;
                }
            }
        }

        return new KnowledgeVocabulary(counts);
    }

    /// <summary>Whether the passages use <paramref name="word"/> (in any case).</summary>
    public bool Contains(string word) => _counts.ContainsKey(word.ToLowerInvariant());

    /// <summary>
    /// <paramref name="query"/> with each misspelt word replaced by its correction, or null when no word changed.
    /// Words the passages use, words under four letters and words with no close passage word stay as written.
    /// </summary>
    /// <param name="query">The user's text.</param>
    public string? Correct(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var changed = false;
        var corrected = WordRegex().Replace(query, match =>
        {
            var word = match.Value.ToLowerInvariant();
            if (word.Length < 4 || _counts.ContainsKey(word) || Nearest(word) is not { } replacement)
            {
                return match.Value;
            }

            changed = true;
            return replacement;
        });
        return changed ? corrected : null;
    }

    /// <summary>How many edits a misspelling of a word this long may have: none under four letters, one up to seven, then two.</summary>
    public static int MaxEdits(int length) => length < 4 ? 0 : length >= 8 ? 2 : 1;

    private string? Nearest(string word)
    {
        var maxEdits = MaxEdits(word.Length);
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
