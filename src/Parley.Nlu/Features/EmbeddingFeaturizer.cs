using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Parley.Nlu.Features;

/// <summary>
/// Features that are sentence embeddings, L2-normalised, from any embedding generator — wrap it in the on-disk
/// cache (<c>UseDiskCache</c>) so that re-training does not re-embed.
/// </summary>
public sealed class EmbeddingFeaturizer : IFeaturizer
{
    /// <summary>The number of texts sent to the generator at a time (progress is reported after each chunk).</summary>
    public const int ChunkSize = 512;

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;

    /// <summary>Creates the featurizer.</summary>
    /// <param name="generator">The embedding generator.</param>
    /// <param name="settings">The settings to record; <see langword="null"/> for embeddings of the generator's model.</param>
    /// <param name="dimensions">The embedding size; <see langword="null"/> to take it from the generator's metadata.</param>
    /// <exception cref="ArgumentException">The dimensions are neither given nor stated by the generator.</exception>
    public EmbeddingFeaturizer(
        IEmbeddingGenerator<string, Embedding<float>> generator, FeaturizerSettings? settings = null, int? dimensions = null)
    {
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Dimensions = dimensions ?? metadata?.DefaultModelDimensions
            ?? throw new ArgumentException("the embedding generator does not state its dimensions; pass them", nameof(dimensions));
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1, nameof(dimensions));
        Settings = settings ?? new FeaturizerSettings
        {
            Kind = FeaturizerSettings.Embeddings,
            EmbeddingModel = metadata?.DefaultModelId ?? new FeaturizerSettings().EmbeddingModel,
        };
    }

    /// <inheritdoc />
    public FeaturizerSettings Settings { get; }

    /// <inheritdoc />
    public int Dimensions { get; }

    /// <inheritdoc />
    public async Task<float[][]> FeaturizeAsync(
        IReadOnlyList<string> texts, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(ChunkSize, texts.Count - start);
            var chunk = new string[count];
            for (var i = 0; i < count; i++)
            {
                chunk[i] = texts[start + i];
            }

            var embeddings = await _generator.GenerateAsync(chunk, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != count)
            {
                throw new InvalidOperationException($"the embedding generator returned {embeddings.Count} embeddings for {count} texts");
            }

            for (var i = 0; i < count; i++)
            {
                var vector = embeddings[i].Vector.ToArray();
                if (vector.Length != Dimensions)
                {
                    throw new InvalidOperationException($"the embedding generator returned {vector.Length} dimensions, expected {Dimensions}");
                }

                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }

                result[start + i] = vector;
            }

            progress?.Report(start + count);
        }

        return result;
    }
}
