using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Parley.Core.Text;
using Parley.Retrieval.Chunking;

namespace Parley.Retrieval.Knowledge;

/// <summary>
/// An in-memory knowledge index over passages, searched by exact cosine similarity of sentence embeddings
/// (a dot product of L2-normalised vectors, vectorised with <see cref="TensorPrimitives"/>).
/// </summary>
public sealed class DenseKnowledgeIndex : IKnowledgeSearch
{
    /// <summary>The file extensions indexed from a knowledge folder.</summary>
    public static readonly IReadOnlySet<string> Extensions = KnowledgeFolder.Extensions;

    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly KnowledgePassage[] _passages;
    private readonly float[] _matrix;
    private readonly int _dimensions;
    private readonly KnowledgeQueryOptions _query;
    private readonly Lazy<SpellingVocabulary> _vocabulary;

    private DenseKnowledgeIndex(
        IEmbeddingGenerator<string, Embedding<float>> embeddings, KnowledgePassage[] passages, float[] matrix, int dimensions, KnowledgeQueryOptions? query = null, Lazy<SpellingVocabulary>? vocabulary = null)
    {
        _embeddings = embeddings;
        _passages = passages;
        _matrix = matrix;
        _dimensions = dimensions;
        _query = query ?? KnowledgeQueryOptions.Default;
        _vocabulary = vocabulary ?? new Lazy<SpellingVocabulary>(() => SpellingVocabulary.Create(passages.SelectMany(p => (string[])[p.Title, p.Heading, p.Text])));
    }

    /// <summary>How messages are turned into the texts encoded (<see cref="KnowledgeQueryOptions.Default"/> unless changed by <see cref="WithQueryOptions"/>).</summary>
    public KnowledgeQueryOptions QueryOptions => _query;

    /// <inheritdoc />
    public int Count => _passages.Length;

    /// <summary>The indexed passages.</summary>
    public IReadOnlyList<KnowledgePassage> Passages => _passages;

    /// <summary>Reads, chunks and embeds every document under <paramref name="folder"/>.</summary>
    /// <param name="embeddings">The embedding generator; its vectors must be L2-normalised.</param>
    /// <param name="folder">The knowledge folder; a missing folder gives an empty index.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<DenseKnowledgeIndex> BuildAsync(
        IEmbeddingGenerator<string, Embedding<float>> embeddings, string folder, ChunkingOptions? chunking = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        var passages = await KnowledgeFolder.ReadPassagesAsync(folder, chunking, cancellationToken).ConfigureAwait(false);
        return await FromPassagesAsync(embeddings, passages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Embeds the given passages and creates an index over them.</summary>
    public static async Task<DenseKnowledgeIndex> FromPassagesAsync(
        IEmbeddingGenerator<string, Embedding<float>> embeddings, IEnumerable<KnowledgePassage> passages, CancellationToken cancellationToken = default)
    {
        var list = passages.ToArray();
        if (list.Length == 0)
        {
            return new DenseKnowledgeIndex(embeddings, list, [], 0);
        }

        var texts = list.Select(EmbeddingText);
        var vectors = await embeddings.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        var dimensions = vectors[0].Vector.Length;
        var matrix = new float[list.Length * dimensions];
        for (var i = 0; i < list.Length; i++)
        {
            vectors[i].Vector.Span.CopyTo(matrix.AsSpan(i * dimensions, dimensions));
        }

        return new DenseKnowledgeIndex(embeddings, list, matrix, dimensions);
    }

    /// <summary>Creates an index over passages whose vectors are already known, for example read from an on-disk index.</summary>
    /// <param name="embeddings">The query encoder; it must be the model that made <paramref name="matrix"/>.</param>
    /// <param name="passages">The passages.</param>
    /// <param name="matrix">The L2-normalised passage vectors, row by row in passage order.</param>
    /// <param name="dimensions">The length of each vector.</param>
    public static DenseKnowledgeIndex FromVectors(
        IEmbeddingGenerator<string, Embedding<float>> embeddings, IReadOnlyList<KnowledgePassage> passages, float[] matrix, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegative(dimensions);
        if (matrix.Length != passages.Count * dimensions)
        {
            throw new ArgumentException($"{passages.Count} passages of {dimensions} dimensions need {passages.Count * dimensions} values, not {matrix.Length}.", nameof(matrix));
        }

        return new DenseKnowledgeIndex(embeddings, passages.ToArray(), matrix, dimensions);
    }

    /// <summary>The passage vectors, row by row in <see cref="Passages"/> order.</summary>
    internal ReadOnlySpan<float> Matrix => _matrix;

    /// <summary>The length of each vector (0 for an empty index).</summary>
    internal int Dimensions => _dimensions;

    /// <summary>
    /// The text embedded for a passage: the title and heading give a short section its context ("Returns › Exceptions. "
    /// + body). The title is said once: a heading path that starts with the document's H1 already holds it (written
    /// twice, it pulled passages towards questions about the title's words: shop test MRR 0.939, against 0.956 now; see
    /// docs/BENCHMARKS.md).
    /// </summary>
    internal static string EmbeddingText(KnowledgePassage passage) =>
        passage.Heading.Length == 0 ? $"{passage.Title}. {passage.Text}"
        : passage.Heading.StartsWith(passage.Title, StringComparison.Ordinal) ? $"{passage.Heading}. {passage.Text}"
        : $"{passage.Title}. {passage.Heading}. {passage.Text}";

    /// <inheritdoc />
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (_passages.Length == 0 || string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var scores = await ScoreMessageAsync(query, cancellationToken).ConfigureAwait(false);
        return TopK.Indexes(scores, Math.Min(top, _passages.Length))
            .Select(i => new KnowledgeHit(_passages[i], Math.Round(scores[i], 4)))
            .ToArray();
    }

    /// <summary>
    /// Returns an index over the same passages and vectors that encodes queries with <paramref name="queryEmbeddings"/>,
    /// for example the encoder without a cache when query latency is measured.
    /// </summary>
    /// <param name="queryEmbeddings">The query encoder; it must be the same model that embedded the passages.</param>
    public DenseKnowledgeIndex WithQueryEmbeddings(IEmbeddingGenerator<string, Embedding<float>> queryEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(queryEmbeddings);
        return new DenseKnowledgeIndex(queryEmbeddings, _passages, _matrix, _dimensions, _query, _vocabulary);
    }

    /// <summary>Returns an index over the same passages and vectors that plans queries with <paramref name="options"/>.</summary>
    /// <param name="options">How messages are turned into the texts encoded.</param>
    public DenseKnowledgeIndex WithQueryOptions(KnowledgeQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DenseKnowledgeIndex(_embeddings, _passages, _matrix, _dimensions, options, _vocabulary);
    }

    /// <summary>
    /// Each passage's score for a user's message, in <see cref="Passages"/> order: its best cosine similarity over the
    /// texts <see cref="QueryOptions"/> makes of the message (the message, its sentences, their corrected spellings).
    /// </summary>
    internal async Task<float[]> ScoreMessageAsync(string message, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> texts = _query.SplitSentences ? [.. QueryPlan.Create(message).Select(p => p.Text)] : [message.Trim()];
        if (_query.CorrectTypos && _passages.Length > 0)
        {
            texts = [.. texts, .. texts.Select(t => _vocabulary.Value.Correct(t)).OfType<string>()];
        }

        var all = await ScoreAllAsync(texts, cancellationToken).ConfigureAwait(false);
        var best = all[0];
        for (var i = 1; i < all.Length; i++)
        {
            TensorPrimitives.Max(best, all[i], best);
        }

        return best;
    }

    /// <summary>The cosine similarity of the query to every passage, in <see cref="Passages"/> order.</summary>
    internal async Task<float[]> ScoreAllAsync(string query, CancellationToken cancellationToken) =>
        (await ScoreAllAsync([query], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The cosine similarity of each query to every passage (queries encoded in one call), in <see cref="Passages"/> order.</summary>
    internal async Task<float[][]> ScoreAllAsync(IReadOnlyList<string> queries, CancellationToken cancellationToken)
    {
        var scores = new float[queries.Count][];
        if (_passages.Length == 0)
        {
            return [.. queries.Select(_ => Array.Empty<float>())];
        }

        var vectors = await _embeddings.GenerateAsync(queries, cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var q = 0; q < queries.Count; q++)
        {
            var vector = vectors[q].Vector.Span;
            scores[q] = new float[_passages.Length];
            for (var i = 0; i < _passages.Length; i++)
            {
                scores[q][i] = TensorPrimitives.Dot(vector, _matrix.AsSpan(i * _dimensions, _dimensions));
            }
        }

        return scores;
    }
}
