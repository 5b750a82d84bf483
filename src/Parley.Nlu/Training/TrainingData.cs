using Parley.Nlu.Features;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Training;

/// <summary>
/// Feature vectors and their labels for <see cref="HeadTrainer"/>: the training set and, optionally, a validation set
/// (used for early stopping and out-of-scope calibration). Out-of-scope items carry the label <see cref="OutOfScope.Label"/>.
/// </summary>
public sealed class TrainingData
{
    /// <summary>Creates training data from feature vectors and labels.</summary>
    /// <param name="features">One vector per training item, all of the same length.</param>
    /// <param name="labels">One label per training item.</param>
    /// <param name="validationFeatures">Validation vectors; when <see langword="null"/>, a stratified share of the training data is held out (<see cref="TrainerOptions.ValidationFraction"/>).</param>
    /// <param name="validationLabels">One label per validation vector.</param>
    public TrainingData(
        IReadOnlyList<float[]> features,
        IReadOnlyList<string> labels,
        IReadOnlyList<float[]>? validationFeatures = null,
        IReadOnlyList<string>? validationLabels = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count == 0)
        {
            throw new ArgumentException("There are no training items.", nameof(features));
        }

        Check(features, labels, nameof(labels));
        var dimensions = features[0].Length;
        if ((validationFeatures is null) != (validationLabels is null))
        {
            throw new ArgumentException("Give both validation features and validation labels, or neither.", nameof(validationLabels));
        }

        if (validationFeatures is not null)
        {
            Check(validationFeatures, validationLabels!, nameof(validationLabels));
            if (validationFeatures.Count > 0 && validationFeatures[0].Length != dimensions)
            {
                throw new ArgumentException($"Validation vectors have {validationFeatures[0].Length} values; training vectors have {dimensions}.", nameof(validationFeatures));
            }
        }

        Features = features;
        Labels = labels;
        ValidationFeatures = validationFeatures;
        ValidationLabels = validationLabels;
        Dimensions = dimensions;
    }

    /// <summary>The training vectors.</summary>
    public IReadOnlyList<float[]> Features { get; }

    /// <summary>The training labels.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The validation vectors, if given.</summary>
    public IReadOnlyList<float[]>? ValidationFeatures { get; }

    /// <summary>The validation labels, if given.</summary>
    public IReadOnlyList<string>? ValidationLabels { get; }

    /// <summary>The length of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>Featurizes labelled examples into training data.</summary>
    /// <param name="featurizer">Computes the vectors.</param>
    /// <param name="training">The training examples.</param>
    /// <param name="validation">The validation examples, or <see langword="null"/> to hold out part of the training data.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<TrainingData> FromExamplesAsync(
        IFeaturizer featurizer,
        IReadOnlyList<LabeledExample> training,
        IReadOnlyList<LabeledExample>? validation = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(training);
        var features = await featurizer.FeaturizeAsync(training.Select(e => e.Text).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        float[][]? validationFeatures = null;
        if (validation is not null)
        {
            validationFeatures = await featurizer.FeaturizeAsync(validation.Select(e => e.Text).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return new TrainingData(features, training.Select(e => e.Intent).ToArray(), validationFeatures, validation?.Select(e => e.Intent).ToArray());
    }

    private static void Check(IReadOnlyList<float[]> features, IReadOnlyList<string> labels, string labelsName)
    {
        ArgumentNullException.ThrowIfNull(labels, labelsName);
        if (features.Count != labels.Count)
        {
            throw new ArgumentException($"There are {features.Count} vectors but {labels.Count} labels.", labelsName);
        }

        var dimensions = features.Count > 0 ? features[0]?.Length ?? 0 : 0;
        for (var i = 0; i < features.Count; i++)
        {
            if (features[i] is null || features[i].Length != dimensions || dimensions == 0)
            {
                throw new ArgumentException($"Vector {i} has {features[i]?.Length ?? 0} values; expected {dimensions} (and more than 0).", nameof(features));
            }

            if (string.IsNullOrWhiteSpace(labels[i]))
            {
                throw new ArgumentException($"Item {i} has no label.", labelsName);
            }
        }
    }
}
