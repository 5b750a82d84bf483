using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Training;

namespace Parley.Nlu.Models;

/// <summary>
/// A trained intent model: a featurizer, a <see cref="SoftmaxHead"/>, its labels and its out-of-scope calibration.
/// </summary>
/// <remarks>
/// An utterance is rejected as out of scope when the head's most probable class is <c>oos</c> (heads trained with an
/// <c>oos</c> class), or when the probability of the best in-scope intent is below
/// <see cref="OosCalibration.ThresholdFor"/> that intent. <see cref="ClassifyAsync"/> then returns
/// <c>Top = [oos, intents…]</c>: <c>oos</c> first with confidence <c>1 − p(best intent)</c>, followed by the in-scope
/// ranking, so callers can still see what the model would have picked. Otherwise <c>Top</c> is the in-scope ranking
/// alone. Confidences are head probabilities (0–1); the <c>oos</c> class itself is never listed among the intents.
/// </remarks>
public sealed class IntentModel : IIntentClassifier
{
    /// <summary>How many intents <see cref="ClassifyAsync"/> ranks.</summary>
    public const int DefaultTop = 5;

    private readonly int _oosClass;

    /// <summary>Creates a model from a training run.</summary>
    /// <param name="featurizer">The featurizer the head was trained on.</param>
    /// <param name="training">The training result.</param>
    public IntentModel(IFeaturizer featurizer, TrainingResult training)
        : this(featurizer, training?.Head!, Describe(featurizer, training!))
    {
    }

    internal IntentModel(IFeaturizer featurizer, SoftmaxHead head, ModelManifest manifest, float[][]? centroids = null)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(head);
        if (featurizer.Dimensions != head.Dimensions)
        {
            throw new ArgumentException($"The featurizer produces {featurizer.Dimensions} values; the head expects {head.Dimensions}.", nameof(featurizer));
        }

        if (manifest.Labels.Count != head.Classes)
        {
            throw new ArgumentException($"There are {manifest.Labels.Count} labels for {head.Classes} classes.", nameof(manifest));
        }

        Featurizer = featurizer;
        Head = head;
        Manifest = manifest;
        _oosClass = manifest.Labels.ToList().IndexOf(OutOfScope.Label);
        if (manifest.Gate is { } gate)
        {
            if (centroids is null || centroids.Length != gate.Labels.Count || centroids.Any(c => c.Length != head.Dimensions))
            {
                throw new ArgumentException($"The similarity gate needs {gate.Labels.Count} centroids of {head.Dimensions} values.", nameof(centroids));
            }

            Centroids = centroids;
            _centroids = [.. centroids.Select(c => c.Select(v => (double)v).ToArray())];
        }
    }

    private readonly double[][]? _centroids;

    /// <summary>The intent centroids of the similarity gate (<see cref="ModelManifest.Gate"/>), or null without one.</summary>
    public IReadOnlyList<float[]>? Centroids { get; }

    /// <summary>The featurizer.</summary>
    public IFeaturizer Featurizer { get; }

    /// <summary>This model with the training method (and why it was used) recorded in its manifest.</summary>
    /// <param name="method">The method (<see cref="TrainingMethods"/>).</param>
    /// <param name="reason">Why it was used.</param>
    public IntentModel WithMethod(string method, string? reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        return new IntentModel(Featurizer, Head, Manifest with { Method = method, MethodReason = reason }, Centroids?.ToArray());
    }

    /// <summary>This model with the training data's augmentation (and why) recorded in its manifest.</summary>
    /// <param name="augmentation">The augmentation (<see cref="TypoAugmentation"/>).</param>
    /// <param name="reason">Why it was used.</param>
    public IntentModel WithAugmentation(string augmentation, string? reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(augmentation);
        return new IntentModel(Featurizer, Head, Manifest with { Augmentation = augmentation, AugmentationReason = reason }, Centroids?.ToArray());
    }

    /// <summary>This model with a similarity gate (or without one, for null).</summary>
    /// <param name="gate">The gate.</param>
    /// <param name="centroids">Its centroids, one per <see cref="SimilarityGate.Labels"/>.</param>
    public IntentModel WithGate(SimilarityGate? gate, float[][]? centroids) =>
        new(Featurizer, Head, Manifest with { Gate = gate }, gate is null ? null : centroids);

    /// <summary>The cosine similarity of <paramref name="features"/> to the nearest intent centroid, or null without a gate.</summary>
    /// <param name="features">A feature vector computed by <see cref="Featurizer"/>.</param>
    public double? Similarity(float[] features) => _centroids is null ? null : SimilarityGateCalibrator.Nearest(_centroids, features);

    /// <summary>The classifier head.</summary>
    public SoftmaxHead Head { get; }

    /// <summary>Everything known about the model besides its weights (what <see cref="SaveAsync"/> writes to <c>manifest.json</c>).</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The class labels, by head output index (may include <c>oos</c>).</summary>
    public IReadOnlyList<string> Labels => Manifest.Labels;

    /// <summary>The in-scope intents the model can predict.</summary>
    public IEnumerable<string> Intents => Labels.Where(l => l != OutOfScope.Label);

    /// <summary>The out-of-scope operating point.</summary>
    public OosCalibration Calibration => Manifest.Calibration;

    /// <inheritdoc />
    /// <remarks>Blank text is out of scope with confidence 1.</remarks>
    public async Task<IntentPrediction> ClassifyAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new IntentPrediction([new IntentScore(OutOfScope.Label, 1)]);
        }

        var prediction = (await PredictBatchAsync([text], DefaultTop, cancellationToken).ConfigureAwait(false))[0];
        return prediction.IsOutOfScope
            ? new IntentPrediction([new IntentScore(OutOfScope.Label, 1 - prediction.Confidence), .. prediction.Top])
            : new IntentPrediction(prediction.Top);
    }

    /// <summary>
    /// This model with its out-of-scope operating point chosen again on <paramref name="validation"/>: the head and the
    /// encoder stay as they are; the threshold (on top of the <c>oos</c> class, when the model has one) either balances
    /// in-scope accuracy and <c>oos</c> recall (the similarity gate stays, and what it rejects counts), or rejects at
    /// most <paramref name="maxInScopeRejection"/> of the in-scope items, all rejections included, and as many
    /// <c>oos</c> items as that allows (the similarity gate is removed: the threshold takes the whole budget).
    /// </summary>
    /// <param name="validation">Labelled validation items, <c>oos</c> ones among them (needed for the balanced criterion).</param>
    /// <param name="maxInScopeRejection">The in-scope rejection budget in [0, 1), or null for the balanced criterion.</param>
    /// <param name="perIntentThresholds">
    /// With the balanced criterion, also choose one threshold per intent (for intents predicted on at least
    /// <see cref="TrainerOptions.MinItemsPerIntentThreshold"/> items); null keeps what the model has (per-intent
    /// thresholds when it was trained or calibrated with them). A budget always sets one threshold for all intents.
    /// </param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="ArgumentException">No in-scope items, or no <c>oos</c> items and no budget.</exception>
    /// <exception cref="InvalidDataException">Items labelled with intents the model does not know (they could never be right).</exception>
    public async Task<IntentModel> CalibrateAsync(
        IReadOnlyList<LabeledExample> validation, double? maxInScopeRejection = null, bool? perIntentThresholds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var options = new TrainerOptions
        {
            MaxInScopeRejection = maxInScopeRejection,
            PerIntentThresholds = perIntentThresholds ?? Calibration.IntentThresholds.Count > 0,
        };
        options.Validate();
        if (validation.All(i => i.Intent == OutOfScope.Label))
        {
            throw new ArgumentException("The validation data has no in-scope items to calibrate on.", nameof(validation));
        }

        if (maxInScopeRejection is null && validation.All(i => i.Intent != OutOfScope.Label))
        {
            throw new ArgumentException(perIntentThresholds == true
                ? $"Per-intent thresholds are chosen by the balanced criterion, which needs labelled '{OutOfScope.Label}' items in the validation data."
                : $"The balanced criterion needs labelled '{OutOfScope.Label}' items in the validation data; without them, give an in-scope rejection budget.", nameof(validation));
        }

        var classes = Labels.Select((label, index) => (label, index)).ToDictionary(p => p.label, p => p.index, StringComparer.Ordinal);
        var unknown = validation.Where(i => i.Intent != OutOfScope.Label && !classes.ContainsKey(i.Intent)).CountBy(i => i.Intent).ToList();
        if (unknown.Count > 0)
        {
            // Items the model can never get right would count as errors whatever the threshold, and move it for nothing.
            var named = string.Join(", ", unknown.Take(5).Select(u => $"'{u.Key}' ({u.Value} item{(u.Value == 1 ? "" : "s")})"));
            throw new InvalidDataException(
                $"The validation data has {unknown.Count} intent{(unknown.Count == 1 ? "" : "s")} the model does not know: {named}{(unknown.Count > 5 ? ", …" : "")}; calibrate on data labelled with the model's intents (and '{OutOfScope.Label}').");
        }

        var features = await Featurizer.FeaturizeAsync([.. validation.Select(i => i.Text)], cancellationToken: cancellationToken).ConfigureAwait(false);
        var items = OosCalibrator.Score(Head, features, [.. validation.Select(i => i.Intent)], classes, _oosClass);
        // A budget bounds every in-scope rejection, so the threshold takes all of it and the similarity gate goes; the
        // balanced criterion keeps the gate, and counts what it rejects as rejected whatever the threshold.
        var gate = maxInScopeRejection is null ? Manifest.Gate : null;
        if (gate is { Threshold: > 0 } kept)
        {
            items = [.. items.Select((item, i) => Similarity(features[i]) < kept.Threshold ? item with { Forced = true } : item)];
        }

        var mode = _oosClass >= 0 ? OosMode.OosClassAndThreshold : OosMode.Threshold;
        var calibration = maxInScopeRejection is { } rate
            ? OosCalibrator.Budgeted(items, Labels, mode, rate)
            : OosCalibrator.Balanced(items, Labels, mode, options);
        return new IntentModel(Featurizer, Head, Manifest with { Calibration = calibration, Gate = gate }, gate is null ? null : Centroids?.ToArray());
    }

    /// <summary>Predicts many utterances at once (one featurizer call), for evaluation.</summary>
    /// <param name="texts">The utterances.</param>
    /// <param name="top">How many intents to rank per utterance.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>One prediction per utterance, in order.</returns>
    public async Task<IReadOnlyList<ModelPrediction>> PredictBatchAsync(IReadOnlyList<string> texts, int top = DefaultTop, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (texts.Count == 0)
        {
            return [];
        }

        var features = await Featurizer.FeaturizeAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        var predictions = new ModelPrediction[features.Length];
        for (var i = 0; i < features.Length; i++)
        {
            predictions[i] = Predict(features[i], top);
        }

        return predictions;
    }

    /// <summary>Predicts from a feature vector computed by <see cref="Featurizer"/>.</summary>
    /// <param name="features">The feature vector.</param>
    /// <param name="top">How many intents to rank.</param>
    public ModelPrediction Predict(float[] features, int top = DefaultTop)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var probabilities = Head.Predict(features);
        var ranking = Enumerable.Range(0, probabilities.Length)
            .Where(c => c != _oosClass)
            .OrderByDescending(c => probabilities[c])
            .ThenBy(c => c)
            .Take(top)
            .Select(c => new IntentScore(Labels[c], probabilities[c]))
            .ToArray();
        var best = ranking[0];
        var rejected = (_oosClass >= 0 && probabilities[_oosClass] > (float)best.Confidence)
            || (float)best.Confidence < Calibration.ThresholdFor(best.Intent)
            || (Manifest.Gate is { Threshold: > 0 } gate && Similarity(features) < gate.Threshold);
        return new ModelPrediction(rejected ? OutOfScope.Label : best.Intent, best.Intent, best.Confidence, ranking);
    }

    /// <summary>
    /// Saves the model into <paramref name="directory"/> (<c>manifest.json</c> + <c>head.bin</c>), atomically: the files
    /// are written into a sibling temporary folder which then replaces <paramref name="directory"/> (whose previous
    /// contents are discarded). A failure leaves any previous model in place.
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="timeProvider">The clock for the manifest's creation time; <see cref="TimeProvider.System"/> if null.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public Task SaveAsync(string directory, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        ModelFolder.SaveAsync(this, directory, timeProvider ?? TimeProvider.System, cancellationToken);

    /// <summary>Loads a model saved by <see cref="SaveAsync"/>.</summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="featurizerFactory">Builds the featurizer from the saved settings (e.g. <c>FeaturizerFactory.Create</c>).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="ModelFormatException">A file is missing or corrupt, or the format version is not 1.</exception>
    public static Task<IntentModel> LoadAsync(string directory, Func<FeaturizerSettings, IFeaturizer> featurizerFactory, CancellationToken cancellationToken = default) =>
        ModelFolder.LoadAsync(directory, featurizerFactory, cancellationToken);

    private static ModelManifest Describe(IFeaturizer featurizer, TrainingResult training)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(training);
        var best = training.Best;
        return new ModelManifest
        {
            DataHash = training.DataHash,
            Seed = training.Options.Seed,
            Trainer = training.Options,
            Featurizer = featurizer.Settings,
            Labels = [.. training.Labels],
            Calibration = training.Calibration,
            Metrics = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["best_epoch"] = training.BestEpoch,
                ["train_count"] = training.TrainCount,
                ["validation_count"] = training.ValidationCount,
                ["train_loss"] = best.TrainLoss,
                ["validation_loss"] = best.ValidationLoss,
                ["validation_accuracy"] = best.ValidationAccuracy,
            },
            History = training.History,
            Classes = training.Head.Classes,
            Dimensions = training.Head.Dimensions,
        };
    }
}
