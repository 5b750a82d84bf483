using Microsoft.Extensions.AI;

namespace Parley.Nlu.Embeddings;

/// <summary>
/// Embedding-generator middleware that answers from an <see cref="EmbeddingCache"/> and embeds only the texts it
/// has not seen, in one batch.
/// </summary>
/// <remarks>
/// Batches (examples, passages, training data) are written to the on-disk cache. A call with a single text is live
/// traffic (a user's message, looked up by the intent gate, the intent model and the knowledge search in turn): it
/// is kept only in a small in-memory memo, so one message is embedded once and chat traffic does not grow the file.
/// </remarks>
public sealed class CachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private const int MemoCapacity = 256;

    private readonly EmbeddingCache _cache;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _memo = new(StringComparer.Ordinal);

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerGenerator">The generator that embeds what is not cached.</param>
    /// <param name="cache">The cache; it must belong to the inner generator's model.</param>
    public CachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, EmbeddingCache cache)
        : base(innerGenerator)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
    }

    /// <summary>The cache answered from.</summary>
    public EmbeddingCache Cache => _cache;

    /// <summary>
    /// The generator behind the cache, for texts that must not be cached: a server's clients' texts, which would
    /// otherwise grow the cache file and its in-memory index without bound.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>> Uncached => InnerGenerator;

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        var vectors = new float[]?[texts.Count];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (_cache.TryGet(texts[i], out var vector) || _memo.TryGetValue(texts[i], out vector))
            {
                vectors[i] = vector;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var unique = missing.Select(i => texts[i]).Distinct(StringComparer.Ordinal).ToArray();
            var generated = await base.GenerateAsync(unique, options, cancellationToken).ConfigureAwait(false);
            if (texts.Count > 1)
            {
                _cache.AddRange(unique.Select((text, j) => (text, generated[j].Vector)));
            }
            else
            {
                if (_memo.Count >= MemoCapacity)
                {
                    _memo.Clear();
                }

                _memo[unique[0]] = generated[0].Vector.ToArray();
            }

            var byText = unique.Select((text, j) => (text, j)).ToDictionary(p => p.text, p => generated[p.j].Vector.ToArray(), StringComparer.Ordinal);
            foreach (var i in missing)
            {
                vectors[i] = byText[texts[i]];
            }
        }

        var modelId = (GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata)?.DefaultModelId;
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        result.AddRange(vectors.Select(v => new Embedding<float>(v!) { ModelId = modelId }));
        return result;
    }
}
