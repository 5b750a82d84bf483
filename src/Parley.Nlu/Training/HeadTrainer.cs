using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Training;

/// <summary>
/// Trains a <see cref="SoftmaxHead"/> on feature vectors with early stopping, then calibrates out-of-scope detection on
/// the validation data.
/// </summary>
/// <remarks>
/// <para>
/// The head is trained on the in-scope items only. When the validation data has labelled <c>oos</c> items, a global
/// max-probability threshold (and per-intent thresholds if asked for) is chosen to maximise
/// <see cref="OosCalibration.BalancedCriterion"/>; when the training data has <c>oos</c> items too, a second head with an
/// explicit <c>oos</c> class is trained and measured as "oos class only" and "oos class + threshold" by the same
/// criterion. The best of the three wins (ties go to the simpler, in that order). With
/// <see cref="TrainerOptions.MaxInScopeRejection"/> set, each candidate's threshold instead rejects at most that share
/// of in-scope items, and the candidate that rejects the most <c>oos</c> items within it wins. Without labelled <c>oos</c> validation
/// items the threshold rejects <see cref="TrainerOptions.TargetRejectionRate"/> of in-scope validation items, and
/// <c>oos</c> training items (if any) are not used.
/// </para>
/// <para>Validation items whose label does not occur in the training data count as errors and are left out of the validation loss.</para>
/// </remarks>
public static class HeadTrainer
{
    /// <summary>Trains and calibrates a head.</summary>
    /// <param name="data">The feature vectors and labels.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults. Validated; copied into the result.</param>
    /// <param name="progress">Receives the metrics of every epoch, if given.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; checked every mini-batch.</param>
    /// <exception cref="ArgumentException">The data has no in-scope items.</exception>
    public static Task<TrainingResult> TrainAsync(
        TrainingData data,
        TrainerOptions? options = null,
        IProgress<EpochMetrics>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options = (options ?? new TrainerOptions()).Copy();
        options.Validate();
        return Task.Run(() => Train(data, options, progress, cancellationToken), cancellationToken);
    }

    private static TrainingResult Train(TrainingData data, TrainerOptions options, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        float[][] trainX, validX;
        string[] trainY, validY;
        if (data.ValidationFeatures is not null)
        {
            (trainX, trainY) = ([.. data.Features], [.. data.Labels]);
            (validX, validY) = ([.. data.ValidationFeatures], [.. data.ValidationLabels!]);
        }
        else
        {
            var (train, validation) = StratifiedHoldout.Split(data.Labels, options.ValidationFraction, options.Seed);
            (trainX, trainY) = (train.Select(i => data.Features[i]).ToArray(), train.Select(i => data.Labels[i]).ToArray());
            (validX, validY) = (validation.Select(i => data.Features[i]).ToArray(), validation.Select(i => data.Labels[i]).ToArray());
        }

        var dataHash = Hash(trainX, trainY, validX, validY);
        var intents = trainY.Where(l => l != OutOfScope.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (intents.Length == 0)
        {
            throw new ArgumentException("The training data has no in-scope items (every label is 'oos').", nameof(data));
        }

        // The in-scope head never sees oos items.
        var inScope = Index(intents);
        var trainIn = Enumerable.Range(0, trainY.Length).Where(i => trainY[i] != OutOfScope.Label).ToArray();
        var validIn = Enumerable.Range(0, validY.Length).Where(i => validY[i] != OutOfScope.Label).ToArray();
        // Too few validation items to stop on: train a fixed budget and keep the last epoch (see MinValidationItemsPerIntent).
        var small = validIn.Length < options.MinValidationItemsPerIntent * intents.Length;
        var fitOptions = small ? WithMinSteps(options, trainIn.Length) : options;
        var inX = trainIn.Select(i => trainX[i]).ToArray();
        var inY = trainIn.Select(i => inScope[trainY[i]]).ToArray();
        var fit = HeadFitter.Run(
            inX, inY, intents.Length,
            validIn.Select(i => validX[i]).ToArray(), validIn.Select(i => inScope.GetValueOrDefault(validY[i], -1)).ToArray(),
            fitOptions, withOosClass: false, progress, cancellationToken, keepLast: small);

        // The options recorded are those the kept head was trained with: on small data the in-scope head's epochs are
        // raised to reach MinSteps, and the record must say how many epochs its history has, not how many were asked.
        TrainingResult Result(HeadFitter.Fit chosen, string[] labels, OosCalibration calibration) => new()
        {
            Head = chosen.Head,
            Labels = labels,
            History = chosen.History,
            BestEpoch = chosen.BestEpoch,
            Calibration = calibration,
            Options = ReferenceEquals(chosen, fit) ? fitOptions : options,
            DataHash = dataHash,
            TrainCount = trainY.Length,
            ValidationCount = validY.Length,
        };

        if (validY.Length == 0)
        {
            return Result(fit, intents, OosCalibration.None);
        }

        var items = OosCalibrator.Score(fit.Head, validX, validY, inScope, oosClass: -1);
        if (!validY.Contains(OutOfScope.Label))
        {
            if (!small)
            {
                return Result(fit, intents, OosCalibrator.Target(items, intents, OosMode.Threshold, options));
            }

            items = [.. items, .. OutOfFold(inX, inY, intents.Length, fitOptions, cancellationToken)];
            var target = OosCalibrator.Target(items, intents, OosMode.Threshold, options);
            return Result(fit, intents, target with
            {
                Criterion = string.Create(CultureInfo.InvariantCulture,
                    $"reject {options.TargetRejectionRate:0.###} of in-scope items: the {validIn.Length} validation items and {options.CalibrationFolds}-fold out-of-fold predictions of the training data (too few validation items for {intents.Length} intents)"),
            });
        }

        var budget = options.MaxInScopeRejection;
        OosCalibration Calibrate(OosCalibrator.Item[] scored, string[] labels, OosMode mode) =>
            budget is { } rate ? OosCalibrator.Budgeted(scored, labels, mode, rate) : OosCalibrator.Balanced(scored, labels, mode, options);
        var candidates = new List<(OosCalibration Calibration, HeadFitter.Fit Fit, string[] Labels)>
        {
            (Calibrate(items, intents, OosMode.Threshold), fit, intents),
        };
        if (options.CompareOosClass && trainY.Contains(OutOfScope.Label))
        {
            string[] withOos = [.. intents, OutOfScope.Label];
            var classes = Index(withOos);
            var oosFit = HeadFitter.Run(
                trainX, trainY.Select(l => classes[l]).ToArray(), withOos.Length,
                validX, validY.Select(l => classes.GetValueOrDefault(l, -1)).ToArray(),
                options, withOosClass: true, progress, cancellationToken);
            var oosItems = OosCalibrator.Score(oosFit.Head, validX, validY, classes, oosClass: intents.Length);
            candidates.Add((OosCalibrator.Describe(oosItems, withOos, OosMode.OosClass, 0, [], budget is { } rate ? OosCalibrator.BudgetCriterion(rate) : OosCalibration.BalancedCriterion), oosFit, withOos));
            candidates.Add((Calibrate(oosItems, withOos, OosMode.OosClassAndThreshold), oosFit, withOos));
        }

        var best = candidates[0];
        if (budget is { } limit)
        {
            best = OosCalibrator.ChooseWithinBudget(candidates, c => c.Calibration, limit);
        }
        else
        {
            foreach (var candidate in candidates.Skip(1))
            {
                if (OosCalibrator.Criterion(candidate.Calibration) > OosCalibrator.Criterion(best.Calibration) + 1e-12)
                {
                    best = candidate;
                }
            }
        }

        var compared = candidates
            .Select(c => new OosCandidate(c.Calibration.Mode, c.Calibration.Threshold, c.Calibration.InScopeAccuracy, c.Calibration.OosRecall, OosCalibrator.Criterion(c.Calibration)))
            .ToArray();
        return Result(best.Fit, best.Labels, best.Calibration with { Candidates = compared });
    }

    private static TrainerOptions WithMinSteps(TrainerOptions options, int count)
    {
        if (options.Optimizer != OptimizerKind.Adam || count == 0)
        {
            return options;
        }

        var stepsPerEpoch = (count + options.BatchSize - 1) / options.BatchSize;
        var copy = options.Copy();
        copy.Epochs = Math.Max(options.Epochs, (options.MinSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        return copy;
    }

    /// <summary>
    /// Each training item scored by a head trained without it (<see cref="TrainerOptions.CalibrationFolds"/> stratified
    /// folds, the same budget as the real head): how confident the model is on in-scope wordings it has not seen.
    /// </summary>
    private static OosCalibrator.Item[] OutOfFold(float[][] features, int[] labels, int classes, TrainerOptions options, CancellationToken cancellationToken)
    {
        var folds = options.CalibrationFolds;
        var fold = new int[labels.Length];
        var random = new Random(options.Seed);
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            for (var k = 0; k < members.Length; k++)
            {
                fold[members[k]] = k % folds;
            }
        }

        var items = new List<OosCalibrator.Item>(labels.Length);
        var probabilities = new float[classes];
        for (var f = 0; f < folds; f++)
        {
            var held = Enumerable.Range(0, labels.Length).Where(i => fold[i] == f).ToArray();
            var kept = Enumerable.Range(0, labels.Length).Where(i => fold[i] != f).ToArray();
            if (held.Length == 0 || kept.Length == 0)
            {
                continue;
            }

            var head = HeadFitter.Run(
                kept.Select(i => features[i]).ToArray(), kept.Select(i => labels[i]).ToArray(), classes, [], [],
                options, withOosClass: false, progress: null, cancellationToken, keepLast: true).Head;
            foreach (var i in held)
            {
                head.Predict(features[i], probabilities);
                var predicted = TensorPrimitives.IndexOfMax(probabilities);
                items.Add(new OosCalibrator.Item(predicted, probabilities[predicted], IsOos: false, Correct: predicted == labels[i], Forced: false));
            }
        }

        return [.. items];
    }

    private static Dictionary<string, int> Index(string[] labels) =>
        labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);

    private static string Hash(float[][] trainX, string[] trainY, float[][] validX, string[] validY)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(float[][] features, string[] labels)
        {
            for (var i = 0; i < labels.Length; i++)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(labels[i]));
                hash.AppendData([0]);
                hash.AppendData(MemoryMarshal.AsBytes(features[i].AsSpan()));
            }

            hash.AppendData([0xFF, 0xFF]);
        }

        Add(trainX, trainY);
        Add(validX, validY);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
