using Microsoft.Extensions.AI;
using Parley.Retrieval.Chunking;

namespace Parley.Retrieval.Knowledge;

/// <summary>
/// Hybrid knowledge search: BM25 and dense rankings of the same passages fused by reciprocal rank fusion.
/// </summary>
/// <remarks>
/// Hits are ordered by the fused score, but each hit's <see cref="KnowledgeHit.Score"/> is the passage's dense
/// cosine similarity to the query, so that an absolute relevance threshold (a bot's <c>thresholds.knowledge</c>)
/// keeps its meaning: rank fusion scores depend only on ranks and cannot tell a relevant passage from the best of
/// an irrelevant lot.
/// </remarks>
public sealed class HybridKnowledgeSearch : IKnowledgeSearch, IDisposable
{
    private readonly HybridSearchOptions _options;

    /// <summary>Creates a hybrid search over two indexes of the same passages in the same order.</summary>
    /// <param name="lexical">The BM25 index.</param>
    /// <param name="dense">The dense index.</param>
    /// <param name="options">The fusion options; null for the defaults.</param>
    public HybridKnowledgeSearch(Bm25KnowledgeIndex lexical, DenseKnowledgeIndex dense, HybridSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(dense);
        if (lexical.Count != dense.Count || !lexical.Passages.Select(p => p.Id).SequenceEqual(dense.Passages.Select(p => p.Id), StringComparer.Ordinal))
        {
            throw new ArgumentException("The BM25 and dense indexes must hold the same passages in the same order.", nameof(dense));
        }

        _options = options ?? new HybridSearchOptions();
        _options.Validate();
        Lexical = lexical;
        Dense = dense;
    }

    /// <summary>The BM25 index.</summary>
    public Bm25KnowledgeIndex Lexical { get; }

    /// <summary>The dense index.</summary>
    public DenseKnowledgeIndex Dense { get; }

    /// <inheritdoc />
    public int Count => Dense.Count;

    /// <summary>Builds BM25 and dense indexes over the given passages.</summary>
    /// <param name="embeddings">The embedding generator; its vectors must be L2-normalised.</param>
    /// <param name="passages">The passages.</param>
    /// <param name="options">The fusion options; null for the defaults.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<HybridKnowledgeSearch> CreateAsync(
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IEnumerable<KnowledgePassage> passages,
        HybridSearchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var list = passages.ToArray();
        var dense = await DenseKnowledgeIndex.FromPassagesAsync(embeddings, list, cancellationToken).ConfigureAwait(false);
        return new HybridKnowledgeSearch(Bm25KnowledgeIndex.Create(list), dense, options);
    }

    /// <summary>Reads, chunks and indexes (BM25 and dense) every document under <paramref name="folder"/>.</summary>
    /// <param name="embeddings">The embedding generator; its vectors must be L2-normalised.</param>
    /// <param name="folder">The knowledge folder; a missing folder gives an empty index.</param>
    /// <param name="options">The fusion options; null for the defaults.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<HybridKnowledgeSearch> BuildAsync(
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        string folder,
        HybridSearchOptions? options = null,
        ChunkingOptions? chunking = null,
        CancellationToken cancellationToken = default)
    {
        var passages = await KnowledgeFolder.ReadPassagesAsync(folder, chunking, cancellationToken).ConfigureAwait(false);
        return await CreateAsync(embeddings, passages, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Hits are in fused order, each with its fused score in <see cref="KnowledgeHit.Fused"/>; each hit's
    /// <see cref="KnowledgeHit.Score"/> is its dense score: its best cosine similarity over the texts the dense index
    /// makes of the message (see the class remarks and <see cref="KnowledgeQueryOptions"/>).
    /// </remarks>
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (Count == 0 || string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var candidates = Math.Min(Math.Max(top, _options.Candidates), Count);
        var cosines = await Dense.ScoreMessageAsync(query, cancellationToken).ConfigureAwait(false);
        var dense = TopK.Indexes(cosines, candidates);
        var lexical = Lexical.Rank(query, candidates, _options.FuzzyTerms).Select(r => r.Index).ToArray();
        var passages = Dense.Passages;
        return ReciprocalRankFusion.Fuse<int>([(lexical, _options.LexicalWeight), (dense, _options.DenseWeight)], _options.K)
            .Take(top)
            .Select(f => new KnowledgeHit(passages[f.Item], Math.Round(cosines[f.Item], 4), Math.Round(f.Score, 6)))
            .ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => Lexical.Dispose();
}
