using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Features;

/// <summary>Builds the featurizer that <see cref="FeaturizerSettings"/> describe (for training, and again when a model is loaded).</summary>
public static class FeaturizerFactory
{
    /// <summary>Creates the featurizer of <paramref name="settings"/>.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="embeddings">
    /// The sentence-embedding generator (wrap it in the on-disk cache); required for <see cref="FeaturizerSettings.Embeddings"/>
    /// and <see cref="FeaturizerSettings.Combined"/>, ignored for <see cref="FeaturizerSettings.CharNGrams"/>.
    /// </param>
    /// <remarks>
    /// Settings with an <see cref="FeaturizerSettings.EncoderFile"/> get embeddings from that model (an ONNX Runtime
    /// session of its own), not from <paramref name="embeddings"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The kind is unknown, the generator is missing, or it runs a different model than <see cref="FeaturizerSettings.EmbeddingModel"/>.
    /// </exception>
    public static IFeaturizer Create(FeaturizerSettings settings, IEmbeddingGenerator<string, Embedding<float>>? embeddings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.EncoderFile is { } encoder && settings.Kind != FeaturizerSettings.CharNGrams)
        {
            // A fine-tuned encoder runs in a session of its own, never behind the package model's embedding cache.
            embeddings = new MiniLmEmbeddingGenerator(new EncoderOptions { ModelPath = encoder });
        }

        return settings.Kind switch
        {
            FeaturizerSettings.Embeddings => new EmbeddingFeaturizer(Checked(settings, embeddings), settings),
            FeaturizerSettings.CharNGrams => new CharNGramFeaturizer(settings),
            FeaturizerSettings.Combined => new CombinedFeaturizer(
                new EmbeddingFeaturizer(Checked(settings, embeddings), settings), new CharNGramFeaturizer(settings), settings),
            FeaturizerSettings.Auto => throw new ArgumentException(
                $"featurizer kind '{FeaturizerSettings.Auto}' is chosen from the data: resolve it with FeatureSelection.Resolve first", nameof(settings)),
            _ => throw new ArgumentException(
                $"unknown featurizer kind '{settings.Kind}'; use '{FeaturizerSettings.Embeddings}', '{FeaturizerSettings.CharNGrams}' or '{FeaturizerSettings.Combined}'",
                nameof(settings)),
        };
    }

    private static IEmbeddingGenerator<string, Embedding<float>> Checked(
        FeaturizerSettings settings, IEmbeddingGenerator<string, Embedding<float>>? embeddings)
    {
        if (embeddings is null)
        {
            throw new ArgumentException($"featurizer kind '{settings.Kind}' needs an embedding generator", nameof(embeddings));
        }

        var model = embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        if (model is not null && !string.Equals(model, settings.EmbeddingModel, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"the features were made with embedding model '{settings.EmbeddingModel}', but the generator runs '{model}'", nameof(embeddings));
        }

        return embeddings;
    }
}
