using System.Text.RegularExpressions;

namespace Parley.Retrieval.Knowledge;

/// <summary>
/// The texts one message is searched with: the message itself, and when it has several sentences (a greeting, a story
/// and a question), each sentence on its own. A long message's point is usually one sentence that a single embedding of
/// the whole (cut at the encoder's 256 word pieces) dilutes or loses.
/// </summary>
public static partial class QueryPlan
{
    /// <summary>The most sentences searched on their own; questions first, then the last sentences.</summary>
    public const int MaxSentences = 16;

    /// <summary>Splits <paramref name="message"/> into the texts to search, the whole message first.</summary>
    /// <param name="message">The user's message.</param>
    /// <returns>The message and, when it has several sentences, up to <see cref="MaxSentences"/> of them (questions first, then the last ones; sentences under three words that do not ask are left out), each with whether it is a question.</returns>
    public static IReadOnlyList<(string Text, bool Question)> Create(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var whole = message.Trim();
        var sentences = Sentences(whole);
        if (sentences.Count <= 1)
        {
            return whole.Length == 0 ? [] : [(whole, IsQuestion(whole))];
        }

        var chosen = sentences
            .Select((text, index) => (Text: text, Index: index, Question: IsQuestion(text)))
            .Where(s => Words(s.Text) >= 3 || s.Question)
            .OrderByDescending(s => s.Question)
            .ThenByDescending(s => s.Index)
            .Take(MaxSentences)
            .OrderBy(s => s.Index)
            .Select(s => (s.Text, s.Question));
        return [(whole, IsQuestion(whole)), .. chosen];
    }

    /// <summary>The sentences of <paramref name="text"/>: cut after . ! ? (and their CJK forms) and at line breaks.</summary>
    public static IReadOnlyList<string> Sentences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Any(char.IsLetterOrDigit)).ToArray();
    }

    /// <summary>Whether a sentence asks something: it ends in a question mark or starts with a question or request word.</summary>
    public static bool IsQuestion(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var trimmed = sentence.TrimEnd();
        return trimmed.EndsWith('?') || trimmed.EndsWith('？') || QuestionStart().IsMatch(trimmed);
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    [GeneratedRegex(@"(?<=[.!?。！？])\s+|(?<=[。！？])|\n+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^(how|what|when|where|why|which|who|whom|whose|can|could|would|will|do|does|did|is|are|am|should|may|might|please|i need|i want|i'd like|tell me)\b", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionStart();
}
