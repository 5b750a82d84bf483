using Microsoft.Extensions.AI;

namespace Parley.Nlu.Embeddings;

/// <summary>
/// Puts a model's query prefix (<see cref="SentenceEncoderModel.QueryPrefix"/>) before every text it embeds, for the
/// query side of a retrieval encoder trained with one (snowflake-arctic-embed-xs); documents go to the inner generator
/// unprefixed.
/// </summary>
public sealed class QueryPrefixEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, string prefix)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(innerGenerator)
{
    /// <summary>The prefix.</summary>
    public string Prefix { get; } = string.IsNullOrEmpty(prefix) ? throw new ArgumentException("the query prefix is empty", nameof(prefix)) : prefix;

    /// <summary>The query side of <paramref name="model"/> over <paramref name="generator"/>: prefixed when the model asks for it.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> ForQueries(IEmbeddingGenerator<string, Embedding<float>> generator, SentenceEncoderModel model)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(model);
        return model.QueryPrefix is { } prefix ? new QueryPrefixEmbeddingGenerator(generator, prefix) : generator;
    }

    /// <inheritdoc />
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        return base.GenerateAsync(values.Select(v => Prefix + v), options, cancellationToken);
    }
}
