using Microsoft.Extensions.AI;

namespace Parley.Retrieval.Tests.Indexing;

/// <summary>
/// A fast, deterministic test encoder: each lowercase word adds 1 to a hashed dimension, and the vector is
/// L2-normalised. <see cref="OnGenerate"/> sees every batch (to count or to fail).
/// </summary>
internal sealed class HashingEmbeddingGenerator(string modelId = "test-hash", int dimensions = 64) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("test", null, modelId, dimensions);

    public Action<IReadOnlyList<string>>? OnGenerate { get; set; }

    public List<string> Embedded { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        OnGenerate?.Invoke(texts);
        Embedded.AddRange(texts);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in texts)
        {
            var vector = new float[dimensions];
            foreach (var word in text.ToLowerInvariant().Split(' ', '.', ',', '?', '\n', '#', '›'))
            {
                if (word.Length > 0)
                {
                    vector[(int)(StableHash(word) % (uint)dimensions)] += 1;
                }
            }

            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            result.Add(new Embedding<float>(norm == 0 ? vector : vector.Select(v => v / norm).ToArray()) { ModelId = modelId });
        }

        return Task.FromResult(result);
    }

    /// <summary>
    /// FNV-1a over the UTF-16 units: the same buckets in every process (string hash codes are randomised per process,
    /// which made which words collide, and so some rankings, change from run to run).
    /// </summary>
    private static uint StableHash(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
