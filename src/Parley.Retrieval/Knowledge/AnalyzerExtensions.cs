using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Parley.Retrieval.Knowledge;

/// <summary>Reading the terms a Lucene analyser makes of a text.</summary>
public static class AnalyzerExtensions
{
    /// <summary>The terms <paramref name="analyzer"/> makes of <paramref name="text"/>, in their order.</summary>
    /// <param name="analyzer">The analyser (thread-safe: each thread gets its own token stream).</param>
    /// <param name="text">The text.</param>
    public static List<string> Terms(this Analyzer analyzer, string text)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }
}
