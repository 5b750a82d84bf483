using System.Globalization;

namespace Parley.Nlu.Reports;

/// <summary>
/// Training curves as inline SVG, one run or several overlaid (each run one colour; training solid, validation dashed;
/// the best epoch marked). Shared by <c>nlu eval --report</c> and the web app's runs pages.
/// </summary>
public static class TrainingCharts
{
    /// <summary>Training and validation loss per epoch.</summary>
    /// <param name="runs">The runs, drawn in this order.</param>
    public static string Loss(IReadOnlyList<RunCurve> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var single = runs.Count == 1;
        var series = new List<LineSeries>();
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var color = single ? SvgChart.Palette[0] : SvgChart.Palette[i % SvgChart.Palette.Length];
            series.Add(new LineSeries(single ? "training loss" : $"{run.Name}: training loss", color, false, [.. run.Points.Select(p => ((double)p.Epoch, p.TrainLoss))]));
            var validation = run.Points.Where(p => p.ValidationLoss is not null).Select(p => ((double)p.Epoch, p.ValidationLoss!.Value)).ToArray();
            if (validation.Length > 0)
            {
                series.Add(new LineSeries(single ? "validation loss" : $"{run.Name}: validation loss", single ? SvgChart.Palette[1] : color, true, validation, run.BestEpoch));
            }
        }

        return SvgChart.LineChart(single ? $"Loss per epoch: {runs[0].Name}" : $"Loss per epoch: {runs.Count} runs", "Epoch", "Loss (cross-entropy)", series, yMin: 0);
    }

    /// <summary>Validation accuracy per epoch.</summary>
    /// <param name="runs">The runs, drawn in this order.</param>
    public static string ValidationAccuracy(IReadOnlyList<RunCurve> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var single = runs.Count == 1;
        var series = runs.Select((run, i) => new LineSeries(
            single ? "validation accuracy" : run.Name,
            single ? SvgChart.Palette[2] : SvgChart.Palette[i % SvgChart.Palette.Length],
            false,
            [.. run.Points.Where(p => p.ValidationAccuracy is not null).Select(p => ((double)p.Epoch, p.ValidationAccuracy!.Value * 100))],
            run.BestEpoch)).ToArray();
        if (series.All(s => s.Points.Count == 0))
        {
            return "<p class=\"chart-note\">No validation accuracy was recorded (the run had no validation data).</p>";
        }

        return SvgChart.LineChart(single ? $"Validation accuracy per epoch: {runs[0].Name}" : $"Validation accuracy per epoch: {runs.Count} runs", "Epoch", "Validation accuracy (%)", series,
            yFormat: v => v.ToString("0.#", CultureInfo.InvariantCulture) + "%");
    }
}
