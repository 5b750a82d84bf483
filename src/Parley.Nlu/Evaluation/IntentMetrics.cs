using System.Text.Json.Serialization;

namespace Parley.Nlu.Evaluation;

/// <summary>
/// The metrics of an intent model on a labelled set. Fractions are in 0–1. Out-of-scope items have the label
/// <c>oos</c>; see <see cref="IntentEvaluator"/> for the exact definitions.
/// </summary>
public sealed record IntentMetrics
{
    /// <summary>All items; an out-of-scope item is correct when predicted <c>oos</c>.</summary>
    [JsonPropertyName("accuracy")]
    public double Accuracy { get; init; }

    /// <summary>In-scope items, best intent without rejection.</summary>
    [JsonPropertyName("closed_accuracy")]
    public double ClosedAccuracy { get; init; }

    /// <summary>In-scope items after the threshold: a rejection is an error.</summary>
    [JsonPropertyName("in_scope_accuracy")]
    public double InScopeAccuracy { get; init; }

    /// <summary>Out-of-scope items predicted <c>oos</c>, over all out-of-scope items (null when there are none).</summary>
    [JsonPropertyName("oos_recall")]
    public double? OosRecall { get; init; }

    /// <summary>Items predicted <c>oos</c> that are out-of-scope, over all <c>oos</c> predictions (null when none was made).</summary>
    [JsonPropertyName("oos_precision")]
    public double? OosPrecision { get; init; }

    /// <summary>The unweighted mean F1 over the labels that occur in the set (out-of-scope included when present).</summary>
    [JsonPropertyName("macro_f1")]
    public double MacroF1 { get; init; }

    /// <summary>Expected calibration error over 10 equal-width confidence bins.</summary>
    [JsonPropertyName("ece")]
    public double ExpectedCalibrationError { get; init; }

    /// <summary>The number of items.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The number of out-of-scope items.</summary>
    [JsonPropertyName("oos_count")]
    public int OosCount { get; init; }

    /// <summary>Per-label metrics, by label.</summary>
    [JsonPropertyName("per_intent")]
    public IReadOnlyList<ClassMetrics> PerIntent { get; init; } = [];

    /// <summary>The most frequent confusions, most frequent first.</summary>
    [JsonPropertyName("top_confusions")]
    public IReadOnlyList<Confusion> TopConfusions { get; init; } = [];

    /// <summary>Confidence histogram of correct and wrong final predictions.</summary>
    [JsonPropertyName("confidence_histogram")]
    public IReadOnlyList<HistogramBin> ConfidenceHistogram { get; init; } = [];

    /// <summary>Prediction latency, when measured.</summary>
    [JsonPropertyName("latency")]
    public LatencyStats? Latency { get; init; }
}
