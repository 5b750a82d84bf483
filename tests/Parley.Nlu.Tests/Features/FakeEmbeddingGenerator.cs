using Microsoft.Extensions.AI;

namespace Parley.Nlu.Tests.Features;

/// <summary>A 3-dimensional, unnormalised embedding of a text: (length, count of 'a', 1); records each batch it is given.</summary>
internal sealed class FakeEmbeddingGenerator(string? modelId = "fake-model", int? dimensions = 3) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("fake", null, modelId, dimensions);

    public List<string[]> Batches { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        Batches.Add(texts);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(
            texts.Select(t => new Embedding<float>(new float[] { t.Length, t.Count(c => c == 'a'), 1 }))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }
}
