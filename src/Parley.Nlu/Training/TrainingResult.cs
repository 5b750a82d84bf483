namespace Parley.Nlu.Training;

/// <summary>What <see cref="HeadTrainer.TrainAsync"/> produced.</summary>
public sealed record TrainingResult
{
    /// <summary>The trained head, with the weights of <see cref="BestEpoch"/>.</summary>
    public required SoftmaxHead Head { get; init; }

    /// <summary>The class labels, by head output index (ordinal order; <c>oos</c> last when the head has an <c>oos</c> class).</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Per-epoch metrics of the chosen head.</summary>
    public required IReadOnlyList<EpochMetrics> History { get; init; }

    /// <summary>The epoch (from 1) whose weights were kept.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>The out-of-scope operating point.</summary>
    public required OosCalibration Calibration { get; init; }

    /// <summary>
    /// The options the kept head was trained with: the ones given, except that on small data the epochs are raised to
    /// reach <see cref="TrainerOptions.MinSteps"/>, so <c>Epochs</c> matches the history.
    /// </summary>
    public required TrainerOptions Options { get; init; }

    /// <summary>SHA-256 (hex) of the training and validation labels and feature values, as trained on.</summary>
    public required string DataHash { get; init; }

    /// <summary>The number of training items (after any holdout; <c>oos</c> items included).</summary>
    public required int TrainCount { get; init; }

    /// <summary>The number of validation items (<c>oos</c> items included).</summary>
    public required int ValidationCount { get; init; }

    /// <summary>The metrics of <see cref="BestEpoch"/>.</summary>
    public EpochMetrics Best => History[BestEpoch - 1];
}
