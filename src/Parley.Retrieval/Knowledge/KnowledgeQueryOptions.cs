namespace Parley.Retrieval.Knowledge;

/// <summary>How <see cref="DenseKnowledgeIndex"/> turns a user's message into the texts it encodes.</summary>
public sealed class KnowledgeQueryOptions
{
    /// <summary>The defaults: sentences searched on their own, misspellings corrected.</summary>
    public static KnowledgeQueryOptions Default { get; } = new();

    /// <summary>The message encoded as written, nothing else.</summary>
    public static KnowledgeQueryOptions AsWritten { get; } = new() { SplitSentences = false, CorrectTypos = false };

    /// <summary>
    /// Whether a message of several sentences (a greeting, a story, a question) is also encoded sentence by sentence
    /// (<see cref="QueryPlan"/>); a passage's score is then its best cosine over the whole message and its sentences,
    /// so the sentence that asks about it is not diluted by the rest. Default true.
    /// </summary>
    public bool SplitSentences { get; init; } = true;

    /// <summary>
    /// Whether the message is also encoded with its misspelt words corrected to the nearest words of the passages
    /// (<see cref="Parley.Core.Text.SpellingVocabulary"/>); a passage's score is the better of the two cosines. Default true.
    /// </summary>
    public bool CorrectTypos { get; init; } = true;
}
