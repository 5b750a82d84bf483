using Parley.Nlu.Evaluation;

namespace Parley.Nlu.Reports;

/// <summary>
/// The charts of an evaluation, as in <c>nlu eval --report</c>: each an SVG, or a paragraph saying why there is nothing
/// to draw.
/// </summary>
public static class EvaluationCharts
{
    /// <summary>The heat map of the most-confused intents (true intents as rows, predicted as columns).</summary>
    public static string Confusions(IntentMetrics metrics, IReadOnlyList<EvaluationItem> items)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return SvgChart.ConfusionHeatMap(items, metrics.TopConfusions);
    }

    /// <summary>F1 per intent, sorted.</summary>
    public static string F1(IntentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return SvgChart.F1Bars(metrics.PerIntent);
    }

    /// <summary>The confidence histogram of right and wrong predictions.</summary>
    public static string Confidence(IntentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return SvgChart.ConfidenceHistogram(metrics.ConfidenceHistogram);
    }
}
