using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Util;

namespace Parley.Retrieval.Knowledge;

/// <summary>
/// The sentences of a passage that answer a question: those that share the most search terms with it (English
/// analysis: stemmed, question stop words removed), so an offline reply quotes what answers rather than a whole section.
/// </summary>
public static partial class PassageQuote
{
    private static readonly Lazy<Analyzer> English = new(() => EnglishSearchAnalysis.Create(LuceneVersion.LUCENE_48));

    /// <summary>
    /// The spans of <see cref="KnowledgePassage.Text"/> to quote for <paramref name="question"/>, in text order: the
    /// sentence (or list item) that shares the most terms with it and, when others share at least half as many, the next
    /// best of them (a question with two parts often has its answers in two sentences; a sentence that only shares a
    /// common word with it is not quoted); empty when no sentence shares a term, or the passage is a single sentence
    /// (then quote it whole).
    /// </summary>
    /// <param name="passage">The passage found for the question.</param>
    /// <param name="question">The user's message.</param>
    /// <param name="max">The most sentences quoted. Default 2.</param>
    public static IReadOnlyList<(int Start, int Length)> Select(KnowledgePassage passage, string question, int max = 2)
    {
        ArgumentNullException.ThrowIfNull(passage);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var wanted = Terms(question);
        var sentences = Sentences(passage.Text);
        if (wanted.Count == 0 || sentences.Count <= 1)
        {
            return [];
        }

        var ranked = sentences
            .Select((s, index) => (Span: s, Index: index, Shared: Terms(passage.Text.Substring(s.Start, s.Length)).Count(wanted.Contains)))
            .Where(s => s.Shared > 0)
            .OrderByDescending(s => s.Shared)
            .ThenBy(s => s.Index)
            .ToArray();
        if (ranked.Length == 0)
        {
            return [];
        }

        var enough = (ranked[0].Shared + 1) / 2;
        return ranked
            .TakeWhile(s => s.Shared >= enough)
            .Take(max)
            .OrderBy(s => s.Index)
            .Select(s => s.Span)
            .ToArray();
    }

    /// <summary>The sentences and lines of <paramref name="text"/>, as trimmed spans.</summary>
    internal static IReadOnlyList<(int Start, int Length)> Sentences(string text)
    {
        var spans = new List<(int Start, int Length)>();
        var from = 0;
        foreach (var match in SentenceEnd().EnumerateMatches(text))
        {
            Add(from, match.Index);
            from = match.Index + match.Length;
        }

        Add(from, text.Length);
        return spans;

        void Add(int start, int end)
        {
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            if (end > start && text.AsSpan(start, end - start).IndexOfAnyExcept(" #*->|_`.:0123456789") >= 0)
            {
                spans.Add((start, end - start));
            }
        }
    }

    private static HashSet<string> Terms(string text) => new(English.Value.Terms(text), StringComparer.Ordinal);

    [GeneratedRegex(@"(?<=[.!?。！？])\s+|(?<=[。！？])|\n\s*")]
    private static partial Regex SentenceEnd();
}
