namespace Parley.Retrieval.Knowledge;

/// <summary>How <see cref="HybridKnowledgeSearch"/> fuses the lexical (BM25) and dense (vector) rankings.</summary>
public sealed class HybridSearchOptions
{
    /// <summary>The default rank constant of reciprocal rank fusion.</summary>
    public const int DefaultK = 60;

    /// <summary>The rank constant <c>k</c> in <c>weight / (k + rank)</c>. Default 60.</summary>
    public int K { get; set; } = DefaultK;

    /// <summary>The default weight of the BM25 ranking.</summary>
    /// <remarks>
    /// Chosen on the shop bot's development questions (<c>samples/bots/shop/eval/kb-queries-dev.jsonl</c>): BM25 is
    /// weaker than the vectors on paraphrased questions, so it counts for less. See docs/BENCHMARKS.md.
    /// </remarks>
    public const double DefaultLexicalWeight = 0.3;

    /// <summary>The weight of the BM25 ranking. Default 0.3 (<see cref="DefaultLexicalWeight"/>).</summary>
    public double LexicalWeight { get; set; } = DefaultLexicalWeight;

    /// <summary>The weight of the dense ranking. Default 1.</summary>
    public double DenseWeight { get; set; } = 1;

    /// <summary>How many passages each ranking contributes before fusion (at least the number of hits asked for). Default 50.</summary>
    public int Candidates { get; set; } = 50;

    /// <summary>
    /// Whether a BM25 query term of five or more characters that no passage holds (a misspelling) matches the
    /// passages' terms within one edit (two for terms of seven or more characters) instead. Default true.
    /// </summary>
    public bool FuzzyTerms { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(K);
        ArgumentOutOfRangeException.ThrowIfLessThan(Candidates, 1);
        if (!double.IsFinite(LexicalWeight) || !double.IsFinite(DenseWeight) || LexicalWeight < 0 || DenseWeight < 0 || LexicalWeight + DenseWeight <= 0)
        {
            throw new ArgumentException("The lexical and dense weights must be finite, non-negative and not both zero.", nameof(LexicalWeight));
        }

    }
}
