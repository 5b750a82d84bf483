using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Util;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Knowledge;

/// <summary>Chinese text cut into words by Lucene's SmartCn, with one analyser for the process (analysers are thread-safe).</summary>
internal static class ChineseSegmenter
{
    private static readonly Analyzer Analyzer = new SmartChineseAnalyzer(LuceneVersion.LUCENE_48);

    /// <summary>The words of <paramref name="text"/> in their order: lower-cased, punctuation left out.</summary>
    /// <param name="text">The text.</param>
    public static List<string> Words(string text) => Analyzer.Terms(text);
}
