using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Parley.Retrieval.Knowledge;

/// <summary>
/// The English analysis of BM25 search: Lucene's <see cref="EnglishAnalyzer"/> (standard tokenizer, possessives
/// removed, lower-cased, Porter stemming) with a stop list for questions rather than for documents.
/// </summary>
/// <remarks>
/// Lucene's default English stop list has 33 words and keeps pronouns, auxiliaries and question words ("how", "can",
/// "my", "do"), which customers' questions are full of and which match nearly every passage. This list is the
/// Snowball English stop list plus a few request words; it was chosen on the shop bot's development questions
/// (<c>samples/bots/shop/eval/kb-queries-dev.jsonl</c>), not on its test set.
/// </remarks>
internal static class EnglishSearchAnalysis
{
    private static readonly string[] StopWords =
    [
        // Snowball English stop words.
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves",
        "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their",
        "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are",
        "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
        "should", "could", "ought", "i'm", "you're", "he's", "she's", "it's", "we're", "they're", "i've", "you've",
        "we've", "they've", "i'd", "you'd", "he'd", "she'd", "we'd", "they'd", "i'll", "you'll", "he'll", "she'll",
        "we'll", "they'll", "isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "doesn't", "don't",
        "didn't", "won't", "wouldn't", "shan't", "shouldn't", "can't", "cannot", "couldn't", "mustn't", "let's",
        "that's", "who's", "what's", "here's", "there's", "when's", "where's", "why's", "how's", "a", "an", "the",
        "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about",
        "against", "between", "into", "through", "during", "before", "after", "above", "below", "to", "from", "up",
        "down", "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when",
        "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor",
        "not", "only", "own", "same", "so", "than", "too", "very",
        // Request words.
        "can", "will", "please", "just", "still", "get", "want",
    ];

    /// <summary>Creates the analyser.</summary>
    /// <param name="version">The Lucene version.</param>
    public static Analyzer Create(LuceneVersion version) => new EnglishAnalyzer(version, new CharArraySet(version, StopWords, ignoreCase: true));
}
