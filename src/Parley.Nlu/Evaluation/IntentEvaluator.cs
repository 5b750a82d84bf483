using Parley.Nlu.Intents;

namespace Parley.Nlu.Evaluation;

/// <summary>Computes <see cref="IntentMetrics"/> from evaluated items.</summary>
public static class IntentEvaluator
{
    /// <summary>The number of equal-width confidence bins of the histogram and of the calibration error.</summary>
    public const int Bins = 10;

    /// <summary>Computes the metrics.</summary>
    /// <param name="items">The evaluated items.</param>
    /// <param name="latency">Measured latency, if any.</param>
    /// <param name="topConfusions">How many confusions to list.</param>
    public static IntentMetrics Compute(IReadOnlyList<EvaluationItem> items, LatencyStats? latency = null, int topConfusions = 20)
    {
        ArgumentNullException.ThrowIfNull(items);
        var inScope = items.Where(i => i.Gold != OutOfScope.Label).ToArray();
        var oos = items.Count - inScope.Length;
        var predictedOos = items.Count(i => i.Predicted == OutOfScope.Label);

        var labels = items.Select(i => i.Gold).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var perClass = labels.Select(label =>
        {
            var truePositive = items.Count(i => i.Gold == label && i.Predicted == label);
            var predicted = items.Count(i => i.Predicted == label);
            var support = items.Count(i => i.Gold == label);
            var precision = Ratio(truePositive, predicted) ?? 0;
            var recall = Ratio(truePositive, support) ?? 0;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new ClassMetrics(label, precision, recall, f1, support);
        }).ToArray();

        var confusions = items.Where(i => i.Gold != i.Predicted)
            .GroupBy(i => (i.Gold, i.Predicted))
            .Select(g => new Confusion(g.Key.Gold, g.Key.Predicted, g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Gold, StringComparer.Ordinal).ThenBy(c => c.Predicted, StringComparer.Ordinal)
            .Take(topConfusions)
            .ToArray();

        var histogram = new (int Correct, int Wrong, double ConfidenceSum)[Bins];
        foreach (var item in items)
        {
            var bin = Math.Clamp((int)(item.Confidence * Bins), 0, Bins - 1);
            var correct = item.Gold == item.Predicted;
            histogram[bin] = (histogram[bin].Correct + (correct ? 1 : 0), histogram[bin].Wrong + (correct ? 0 : 1), histogram[bin].ConfidenceSum + item.Confidence);
        }

        // ECE: the gap between confidence and accuracy in each bin, weighted by the bin's share of items.
        var ece = items.Count == 0 ? 0 : histogram.Sum(b =>
        {
            var n = b.Correct + b.Wrong;
            return n == 0 ? 0 : (double)n / items.Count * Math.Abs(((double)b.Correct / n) - (b.ConfidenceSum / n));
        });

        return new IntentMetrics
        {
            Count = items.Count,
            OosCount = oos,
            Accuracy = Ratio(items.Count(i => i.Gold == i.Predicted), items.Count) ?? 0,
            ClosedAccuracy = Ratio(inScope.Count(i => i.Gold == i.ClosedPredicted), inScope.Length) ?? 0,
            InScopeAccuracy = Ratio(inScope.Count(i => i.Gold == i.Predicted), inScope.Length) ?? 0,
            OosRecall = Ratio(items.Count(i => i.Gold == OutOfScope.Label && i.Predicted == OutOfScope.Label), oos),
            OosPrecision = Ratio(items.Count(i => i.Gold == OutOfScope.Label && i.Predicted == OutOfScope.Label), predictedOos),
            MacroF1 = perClass.Length == 0 ? 0 : perClass.Average(c => c.F1),
            ExpectedCalibrationError = ece,
            PerIntent = perClass,
            TopConfusions = confusions,
            ConfidenceHistogram = histogram.Select((b, i) => new HistogramBin((double)i / Bins, (double)(i + 1) / Bins, b.Correct, b.Wrong)).ToArray(),
            Latency = latency,
        };
    }

    private static double? Ratio(int numerator, int denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
