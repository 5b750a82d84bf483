namespace Parley.Nlu.Features;

/// <summary>
/// Sentence embeddings and character n-grams side by side: the embedding block (L2-normalised, weight 1) followed by
/// the n-gram block (L2-normalised) times <see cref="FeaturizerSettings.NGramWeight"/>.
/// </summary>
public sealed class CombinedFeaturizer : IFeaturizer
{
    private readonly IFeaturizer _embeddings;
    private readonly IFeaturizer _ngrams;

    /// <summary>Creates the featurizer.</summary>
    /// <param name="embeddings">The embedding block.</param>
    /// <param name="ngrams">The n-gram block.</param>
    /// <param name="settings">The settings to record; their <see cref="FeaturizerSettings.NGramWeight"/> weighs the n-gram block.</param>
    public CombinedFeaturizer(IFeaturizer embeddings, IFeaturizer ngrams, FeaturizerSettings settings)
    {
        _embeddings = embeddings ?? throw new ArgumentNullException(nameof(embeddings));
        _ngrams = ngrams ?? throw new ArgumentNullException(nameof(ngrams));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (!float.IsFinite(settings.NGramWeight) || settings.NGramWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.NGramWeight, "NGramWeight must be a finite number ≥ 0");
        }

        Dimensions = embeddings.Dimensions + ngrams.Dimensions;
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

        // Progress follows the embeddings, the slow part; the n-grams take a fraction of the time.
        var embedded = await _embeddings.FeaturizeAsync(texts, progress, cancellationToken).ConfigureAwait(false);
        var ngrams = await _ngrams.FeaturizeAsync(texts, null, cancellationToken).ConfigureAwait(false);
        var weight = Settings.NGramWeight;
        var result = new float[texts.Count][];
        for (var i = 0; i < result.Length; i++)
        {
            var vector = new float[Dimensions];
            embedded[i].CopyTo(vector, 0);
            var block = vector.AsSpan(_embeddings.Dimensions);
            var source = ngrams[i];
            for (var j = 0; j < source.Length; j++)
            {
                block[j] = source[j] * weight;
            }

            result[i] = vector;
        }

        return result;
    }
}
