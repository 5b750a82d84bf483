namespace Parley.Nlu.Training;

/// <summary>
/// The out-of-scope operating point of a model: how it rejects utterances, with which thresholds, and what that achieved
/// on the validation data. An utterance is out of scope when the head's most probable class is <c>oos</c> (modes with an
/// <c>oos</c> class), or when its best probability is below <see cref="ThresholdFor"/> its best intent.
/// </summary>
public sealed record OosCalibration
{
    /// <summary>The criterion used when labelled <c>oos</c> validation items exist.</summary>
    public const string BalancedCriterion = "mean of in-scope accuracy after rejection and oos recall";

    /// <summary>A calibration that never rejects.</summary>
    public static OosCalibration None { get; } = new() { Mode = OosMode.None, Criterion = "none: no validation data" };

    /// <summary>How out-of-scope utterances are detected.</summary>
    public required OosMode Mode { get; init; }

    /// <summary>The global threshold on the best probability; 0 rejects nothing.</summary>
    public double Threshold { get; init; }

    /// <summary>Per-intent thresholds that replace <see cref="Threshold"/> for those intents; empty unless per-intent calibration was asked for.</summary>
    public IReadOnlyDictionary<string, double> IntentThresholds { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// How the operating point was chosen: <see cref="BalancedCriterion"/> when labelled <c>oos</c> validation items exist,
    /// otherwise a target in-scope rejection rate.
    /// </summary>
    public required string Criterion { get; init; }

    /// <summary>In-scope validation accuracy after rejection (a rejected in-scope item is an error).</summary>
    public double InScopeAccuracy { get; init; } = double.NaN;

    /// <summary>The share of out-of-scope validation items rejected; <see langword="null"/> without labelled ones.</summary>
    public double? OosRecall { get; init; }

    /// <summary>The share of in-scope validation items rejected.</summary>
    public double RejectionRate { get; init; }

    /// <summary>Every strategy compared (the chosen one included), when labelled <c>oos</c> validation items exist.</summary>
    public IReadOnlyList<OosCandidate> Candidates { get; init; } = [];

    /// <summary>The threshold that applies when <paramref name="intent"/> is the most probable intent.</summary>
    /// <param name="intent">The most probable in-scope intent.</param>
    public double ThresholdFor(string intent) =>
        Mode is OosMode.Threshold or OosMode.OosClassAndThreshold
            ? IntentThresholds.TryGetValue(intent, out var own) ? own : Threshold
            : 0;
}
