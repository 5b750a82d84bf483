using Microsoft.Extensions.AI;

namespace Parley.Nlu.Embeddings;

/// <summary>Adds an on-disk embedding cache to an embedding-generator pipeline.</summary>
public static class EmbeddingCacheBuilderExtensions
{
    /// <summary>Caches the embeddings of the generator in <paramref name="folder"/> (one file per model).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="folder">The cache folder.</param>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseDiskCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, string folder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner =>
        {
            var metadata = inner.GetService<EmbeddingGeneratorMetadata>()
                ?? throw new InvalidOperationException("the embedding generator must describe its model (EmbeddingGeneratorMetadata) to be cached");
            var cache = EmbeddingCache.Open(folder, metadata.DefaultModelId ?? "unknown", metadata.DefaultModelDimensions
                ?? throw new InvalidOperationException("the embedding generator must state its dimensions to be cached"));
            return new CachingEmbeddingGenerator(inner, cache);
        });
    }
}
