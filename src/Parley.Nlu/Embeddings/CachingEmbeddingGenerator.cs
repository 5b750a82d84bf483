using Microsoft.Extensions.AI;

namespace Parley.Nlu.Embeddings;

/// <summary>
/// Embedding-generator middleware that answers from an <see cref="EmbeddingCache"/> and embeds only the texts it
/// has not seen, in one batch.
/// </summary>
public sealed class CachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingCache _cache;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerGenerator">The generator that embeds what is not cached.</param>
    /// <param name="cache">The cache; it must belong to the inner generator's model.</param>
    public CachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, EmbeddingCache cache)
        : base(innerGenerator)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
    }

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
            if (_cache.TryGet(texts[i], out var vector))
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
            _cache.AddRange(unique.Select((text, j) => (text, generated[j].Vector)));
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
