namespace Parley.Nlu.Features;

/// <summary>
/// Turns utterances into fixed-length feature vectors for an intent classifier head: sentence embeddings,
/// character n-grams, or both combined.
/// </summary>
public interface IFeaturizer
{
    /// <summary>The settings that recreate this featurizer (stored in a model artifact).</summary>
    FeaturizerSettings Settings { get; }

    /// <summary>The length of each feature vector.</summary>
    int Dimensions { get; }

    /// <summary>Computes the feature vectors of <paramref name="texts"/>, in order.</summary>
    /// <param name="texts">The utterances.</param>
    /// <param name="progress">Receives the number of texts done so far, if given.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    Task<float[][]> FeaturizeAsync(IReadOnlyList<string> texts, IProgress<int>? progress = null, CancellationToken cancellationToken = default);
}
