using Microsoft.Extensions.AI;

namespace Parley.Nlu.Tests.FineTuning;

/// <summary>
/// A stand-in for all-MiniLM-L6-v2: one dimension per topic, counting the topic's keywords in the text; text with no
/// keyword points along one more dimension, away from every topic.
/// </summary>
internal sealed class KeywordEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
{
    public static readonly string[][] Topics =
    [
        ["open", "hours", "close", "time"],
        ["refund", "return", "returns", "back", "money"],
        ["pay", "card", "paypal", "visa"],
    ];

    private readonly EmbeddingGeneratorMetadata _metadata = new("keywords", null, "all-MiniLM-L6-v2", Topics.Length + 1);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(Embed)));

    private static Embedding<float> Embed(string text)
    {
        var words = text.ToLowerInvariant().Split([' ', '?', ',', '.', '!'], StringSplitOptions.RemoveEmptyEntries);
        var vector = new float[Topics.Length + 1];
        for (var t = 0; t < Topics.Length; t++)
        {
            vector[t] = words.Count(w => Topics[t].Contains(w));
        }

        vector[^1] = vector.Any(v => v > 0) ? 0 : 1;
        return new Embedding<float>(vector);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }
}
