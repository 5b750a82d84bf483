using System.Globalization;
using System.Text;
using System.Text.Json;
using Parley.Nlu.Evaluation;

namespace Parley.Nlu.Reports;

/// <summary>
/// Writes an evaluation as <c>metrics.json</c> and a self-contained <c>report.html</c> (inline SVG charts, no
/// scripts or network): summary, confusion heat map, per-intent F1, confidence histogram and training curve.
/// </summary>
public static class EvaluationReportWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes both files into <paramref name="folder"/>, each atomically.</summary>
    /// <param name="folder">The report folder; created when missing.</param>
    /// <param name="title">What was evaluated, e.g. the model and data names.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="items">The evaluated items (for the heat map and the list of errors).</param>
    /// <param name="curve">The training curve of the run that produced the model, if known.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task WriteAsync(
        string folder, string title, IntentMetrics metrics, IReadOnlyList<EvaluationItem> items, IReadOnlyList<TrainingCurvePoint> curve, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        await Core.IO.AtomicFile.WriteAllTextAsync(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(metrics, Json), cancellationToken).ConfigureAwait(false);
        await Core.IO.AtomicFile.WriteAllTextAsync(Path.Combine(folder, "report.html"), Html(title, metrics, items, curve), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The report page.</summary>
    public static string Html(string title, IntentMetrics metrics, IReadOnlyList<EvaluationItem> items, IReadOnlyList<TrainingCurvePoint> curve)
    {
        static string Pct(double? value) => value is null ? "—" : (value.Value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{SvgChart.Escape(title)}</title>
            <style>
            body {"{"} font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #222; padding: 0 1rem; {"}"}
            table {"{"} border-collapse: collapse; margin: .5rem 0 1.5rem; {"}"}
            td, th {"{"} border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; {"}"}
            td.n {"{"} text-align: right; font-variant-numeric: tabular-nums; {"}"}
            h2 {"{"} margin-top: 2rem; border-bottom: 1px solid #eee; {"}"}
            .muted {"{"} color: #666; {"}"}
            svg.chart {"{"} display: block; width: 100%; height: auto; margin: .5rem 0 1rem; border: 1px solid #eee; {"}"}
            </style></head><body>
            <h1>{SvgChart.Escape(title)}</h1>
            <p class="muted">{metrics.Count} items, {metrics.OosCount} of them out-of-scope.</p>
            <table>
            <tr><th>Accuracy (all items)</th><td class="n">{Pct(metrics.Accuracy)}</td></tr>
            <tr><th>Closed-set accuracy (in-scope, no rejection)</th><td class="n">{Pct(metrics.ClosedAccuracy)}</td></tr>
            <tr><th>In-scope accuracy (after the threshold)</th><td class="n">{Pct(metrics.InScopeAccuracy)}</td></tr>
            <tr><th>Out-of-scope recall</th><td class="n">{Pct(metrics.OosRecall)}</td></tr>
            <tr><th>Out-of-scope precision</th><td class="n">{Pct(metrics.OosPrecision)}</td></tr>
            <tr><th>Macro-F1</th><td class="n">{Pct(metrics.MacroF1)}</td></tr>
            <tr><th>Expected calibration error</th><td class="n">{metrics.ExpectedCalibrationError:0.000}</td></tr>
            """);
        if (metrics.Latency is { } latency)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>Latency, one utterance (p50 / p95)</th><td class=\"n\">{latency.P50Ms:0.0} ms / {latency.P95Ms:0.0} ms</td></tr>");
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>Throughput, batched</th><td class=\"n\">{latency.BatchPerSecond:0} utterances/s</td></tr>");
        }

        html.Append("</table>");
        html.Append("<h2>Most confused intents</h2><p class=\"muted\">Rows are the true intents, columns what the model predicted; off-diagonal cells count mistakes.</p>").Append(SvgChart.ConfusionHeatMap(items, metrics.TopConfusions));
        html.Append("<table><tr><th>True</th><th>Predicted</th><th>Count</th></tr>");
        foreach (var c in metrics.TopConfusions)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{SvgChart.Escape(c.Gold)}</td><td>{SvgChart.Escape(c.Predicted)}</td><td class=\"n\">{c.Count}</td></tr>");
        }

        html.Append("</table>");
        html.Append("<h2>F1 per intent</h2>").Append(SvgChart.F1Bars(metrics.PerIntent));
        html.Append("<h2>Confidence</h2><p class=\"muted\">How sure the model was of each prediction: green bars count the predictions that were right, orange the ones that were wrong. A good model has its wrong predictions at low confidence, where the threshold can turn them away.</p>")
            .Append(SvgChart.ConfidenceHistogram(metrics.ConfidenceHistogram));
        html.Append("<h2>Training curve</h2>");
        if (curve.Count == 0)
        {
            html.Append("<p>The model's training history is not available.</p>");
        }
        else
        {
            RunCurve[] run = [new RunCurve(title, curve, BestEpoch(curve))];
            html.Append(TrainingCharts.Loss(run)).Append(TrainingCharts.ValidationAccuracy(run));
        }

        html.Append("<h2>Examples of errors</h2><table><tr><th>Text</th><th>True</th><th>Predicted</th><th>Confidence</th></tr>");
        foreach (var item in items.Where(i => i.Gold != i.Predicted).OrderByDescending(i => i.Confidence).Take(50))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{SvgChart.Escape(item.Text)}</td><td>{SvgChart.Escape(item.Gold)}</td><td>{SvgChart.Escape(item.Predicted)}</td><td class=\"n\">{item.Confidence:0.00}</td></tr>");
        }

        return html.Append("</table></body></html>\n").ToString();
    }

    /// <summary>The epoch with the best validation accuracy (the first of equals), or null without validation.</summary>
    public static int? BestEpoch(IReadOnlyList<TrainingCurvePoint> curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var best = curve.Where(p => p.ValidationAccuracy is not null).OrderByDescending(p => p.ValidationAccuracy).ThenBy(p => p.Epoch).FirstOrDefault();
        return best?.Epoch;
    }
}
