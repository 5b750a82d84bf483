using System.Globalization;
using System.Net;
using System.Text;
using Parley.Nlu.Evaluation;

namespace Parley.Nlu.Reports;

/// <summary>The report's charts as inline SVG: no scripts, no network, readable when printed.</summary>
internal static class SvgChart
{
    private const string Good = "#2e7d32";
    private const string Bad = "#c62828";
    private const string Accent = "#1565c0";

    public static string ConfusionHeatMap(IReadOnlyList<EvaluationItem> items, IReadOnlyList<Confusion> confusions, int maxLabels = 15)
    {
        var labels = confusions.SelectMany(c => new[] { (c.Gold, c.Count), (c.Predicted, c.Count) })
            .GroupBy(p => p.Item1).OrderByDescending(g => g.Sum(p => p.Count)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(maxLabels).Select(g => g.Key).ToArray();
        if (labels.Length == 0)
        {
            return "<p>No confusions: every item was predicted correctly.</p>";
        }

        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var counts = new int[labels.Length, labels.Length];
        foreach (var item in items)
        {
            if (index.TryGetValue(item.Gold, out var row) && index.TryGetValue(item.Predicted, out var column))
            {
                counts[row, column]++;
            }
        }

        var offDiagonalMax = Math.Max(1, Enumerable.Range(0, labels.Length).SelectMany(r => Enumerable.Range(0, labels.Length).Where(c => c != r).Select(c => counts[r, c])).DefaultIfEmpty(0).Max());
        const int cell = 28, left = 170, top = 150;
        var size = labels.Length * cell;
        var svg = Begin(left + size + 10, top + size + 10, "Confusion heat map of the most-confused intents (rows: true, columns: predicted)");
        for (var i = 0; i < labels.Length; i++)
        {
            svg.Append(Text(left - 6, top + (i * cell) + 18, labels[i], anchor: "end"));
            svg.Append(F($"<text x=\"{left + (i * cell) + 18}\" y=\"{top - 6}\" font-size=\"11\" transform=\"rotate(-55 {left + (i * cell) + 18} {top - 6})\">{Escape(labels[i])}</text>"));
            for (var j = 0; j < labels.Length; j++)
            {
                var n = counts[i, j];
                var color = i == j ? $"rgba(46,125,50,{(n == 0 ? 0 : 0.25)})" : $"rgba(198,40,40,{(double)n / offDiagonalMax:0.###})";
                svg.Append(F($"<rect x=\"{left + (j * cell)}\" y=\"{top + (i * cell)}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"{color}\" stroke=\"#ddd\"><title>{Escape(labels[i])} → {Escape(labels[j])}: {n}</title></rect>"));
                if (n > 0)
                {
                    svg.Append(Text(left + (j * cell) + (cell / 2), top + (i * cell) + 18, n.ToString(CultureInfo.InvariantCulture), anchor: "middle"));
                }
            }
        }

        return svg.Append("</svg>").ToString();
    }

    public static string F1Bars(IReadOnlyList<ClassMetrics> perIntent)
    {
        var rows = perIntent.OrderBy(c => c.F1).ThenBy(c => c.Label, StringComparer.Ordinal).ToArray();
        const int row = 14, left = 180, width = 420;
        var svg = Begin(left + width + 60, (rows.Length * row) + 30, "F1 per intent, worst first");
        for (var i = 0; i < rows.Length; i++)
        {
            var c = rows[i];
            var y = 20 + (i * row);
            svg.Append(Text(left - 6, y + 10, c.Label, anchor: "end", size: 10));
            svg.Append(F($"<rect x=\"{left}\" y=\"{y}\" width=\"{c.F1 * width:0.#}\" height=\"{row - 3}\" fill=\"{(c.F1 >= 0.9 ? Good : c.F1 >= 0.7 ? Accent : Bad)}\"><title>{Escape(c.Label)}: precision {c.Precision:0.000}, recall {c.Recall:0.000}, F1 {c.F1:0.000}, support {c.Support}</title></rect>"));
            svg.Append(Text(left + (c.F1 * width) + 4, y + 10, c.F1.ToString("0.00", CultureInfo.InvariantCulture), size: 10));
        }

        return svg.Append("</svg>").ToString();
    }

    public static string ConfidenceHistogram(IReadOnlyList<HistogramBin> bins)
    {
        const int width = 560, height = 220, left = 50, bottom = 190;
        var max = Math.Max(1, bins.Max(b => Math.Max(b.Correct, b.Wrong)));
        var slot = (width - left - 10) / (double)bins.Count;
        var svg = Begin(width, height + 20, "Confidence of correct (green) and wrong (red) predictions");
        svg.Append(Axis(left, bottom, width - 10, 20));
        for (var i = 0; i < bins.Count; i++)
        {
            var x = left + (i * slot);
            foreach (var (count, color, offset, name) in new[] { (bins[i].Correct, Good, 0.1, "correct"), (bins[i].Wrong, Bad, 0.5, "wrong") })
            {
                var h = (double)count / max * (bottom - 30);
                svg.Append(F($"<rect x=\"{x + (slot * offset):0.#}\" y=\"{bottom - h:0.#}\" width=\"{slot * 0.38:0.#}\" height=\"{h:0.#}\" fill=\"{color}\"><title>{bins[i].From:0.0}–{bins[i].To:0.0}: {count} {name}</title></rect>"));
            }

            svg.Append(Text(x + (slot / 2), bottom + 14, bins[i].From.ToString("0.0", CultureInfo.InvariantCulture), anchor: "middle", size: 10));
        }

        svg.Append(Text(left - 6, 34, max.ToString(CultureInfo.InvariantCulture), anchor: "end", size: 10));
        return svg.Append("</svg>").ToString();
    }

    public static string TrainingCurve(IReadOnlyList<TrainingCurvePoint> points)
    {
        if (points.Count == 0)
        {
            return "<p>The model's training history is not available.</p>";
        }

        const int width = 560, height = 240, left = 50, right = 50, topY = 20, bottom = 200;
        var maxLoss = Math.Max(1e-9, points.Max(p => Math.Max(p.TrainLoss, p.ValidationLoss ?? 0)));
        double X(int epoch) => left + ((epoch - points[0].Epoch) / (double)Math.Max(1, points[^1].Epoch - points[0].Epoch) * (width - left - right));
        double Y(double value, double max) => bottom - (value / max * (bottom - topY));
        string Line(Func<TrainingCurvePoint, double?> value, double max, string color, string dash) =>
            F($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" points=\"{string.Join(' ', points.Where(p => value(p) is not null).Select(p => F($"{X(p.Epoch):0.#},{Y(value(p)!.Value, max):0.#}")))}\"/>");

        var svg = Begin(width, height + 30, "Training curve: loss (left axis) and validation accuracy (right axis) per epoch");
        svg.Append(Axis(left, bottom, width - right, topY));
        svg.Append(Line(p => p.TrainLoss, maxLoss, Accent, "0"));
        svg.Append(Line(p => p.ValidationLoss, maxLoss, "#ef6c00", "5 3"));
        svg.Append(Line(p => p.ValidationAccuracy, 1.0, Good, "0"));
        svg.Append(Text(left - 6, topY + 4, maxLoss.ToString("0.00", CultureInfo.InvariantCulture), anchor: "end", size: 10));
        svg.Append(Text(width - right + 6, topY + 4, "1.0", size: 10));
        svg.Append(Text(width - right + 6, bottom, "0.0", size: 10));
        svg.Append(Text(left, bottom + 16, $"epoch {points[0].Epoch}", size: 10));
        svg.Append(Text(width - right, bottom + 16, $"epoch {points[^1].Epoch}", anchor: "end", size: 10));
        svg.Append(Text(left, height + 20, "— train loss   - - validation loss   — validation accuracy", size: 11));
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Begin(int width, int height, string title) =>
        new StringBuilder().Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Escape(title)}\" font-family=\"sans-serif\"><title>{Escape(title)}</title>"));

    private static string Axis(int left, int bottom, int right, int top) =>
        F($"<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\" stroke=\"#555\"/><line x1=\"{left}\" y1=\"{bottom}\" x2=\"{left}\" y2=\"{top}\" stroke=\"#555\"/>");

    private static string Text(double x, double y, string text, string anchor = "start", int size = 11) =>
        F($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" text-anchor=\"{anchor}\">{Escape(text)}</text>");

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
