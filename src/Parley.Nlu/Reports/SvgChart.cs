using System.Globalization;
using System.Net;
using System.Text;
using Parley.Nlu.Evaluation;

namespace Parley.Nlu.Reports;

/// <summary>
/// The charts as inline SVG, shared by <c>nlu eval --report</c> and the web app: no scripts, no network; each has a
/// title, labelled axes with ticks and a legend with colour keys; they scale to the width of their container and draw
/// their own white background so they stay legible on a dark page and when printed.
/// </summary>
internal static class SvgChart
{
    /// <summary>Colours that stay distinct for colour-blind readers (Okabe–Ito).</summary>
    public static readonly string[] Palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"];

    private const string Good = "#009e73";
    private const string Bad = "#d55e00";
    private const string Ink = "#222";
    private const string Grid = "#e6e6e6";
    private const int Width = 880;

    public static string ConfusionHeatMap(IReadOnlyList<EvaluationItem> items, IReadOnlyList<Confusion> confusions, int maxLabels = 15)
    {
        var labels = confusions.SelectMany(c => new[] { (c.Gold, c.Count), (c.Predicted, c.Count) })
            .GroupBy(p => p.Item1).OrderByDescending(g => g.Sum(p => p.Count)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(maxLabels).Select(g => g.Key).ToArray();
        if (labels.Length == 0)
        {
            return "<p class=\"chart-note\">No confusions: every item was predicted correctly, so there is no heat map to draw.</p>";
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
        var cell = Math.Clamp(520 / labels.Length, 26, 44);
        var longest = labels.Max(l => l.Length);
        var left = 40 + Math.Min(220, (longest * 7) + 10);
        var top = 70 + Math.Min(170, (int)(longest * 5.2) + 10);
        var size = labels.Length * cell;
        var width = Math.Max(Width, left + size + 200);
        var height = top + size + 40;
        var svg = Begin(width, height, $"Most-confused intents: {labels.Length} intents, counts of true (rows) predicted as (columns)");
        svg.Append(Text(left + (size / 2.0), 58, "Predicted intent", anchor: "middle", size: 13, weight: "bold"));
        svg.Append(F($"<text x=\"16\" y=\"{top + (size / 2.0):0.#}\" font-size=\"13\" font-weight=\"bold\" fill=\"{Ink}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {top + (size / 2.0):0.#})\">True intent</text>"));
        for (var i = 0; i < labels.Length; i++)
        {
            svg.Append(Text(left - 6, top + (i * cell) + (cell / 2.0) + 4, labels[i], anchor: "end", size: 12));
            var x = left + (i * cell) + (cell / 2.0) + 4;
            svg.Append(F($"<text x=\"{x:0.#}\" y=\"{top - 6}\" font-size=\"12\" fill=\"{Ink}\" transform=\"rotate(-50 {x:0.#} {top - 6})\">{Escape(labels[i])}</text>"));
            for (var j = 0; j < labels.Length; j++)
            {
                var n = counts[i, j];
                var alpha = i == j ? (n == 0 ? 0 : 0.25) : (double)n / offDiagonalMax;
                var color = i == j ? $"rgba(0,158,115,{alpha:0.###})" : $"rgba(213,94,0,{alpha:0.###})";
                svg.Append(F($"<rect x=\"{left + (j * cell)}\" y=\"{top + (i * cell)}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"{color}\" stroke=\"#ccc\"><title>true {Escape(labels[i])}, predicted {Escape(labels[j])}: {n}</title></rect>"));
                if (n > 0)
                {
                    var fill = i != j && alpha > 0.6 ? "#fff" : Ink;
                    svg.Append(Text(left + (j * cell) + (cell / 2.0), top + (i * cell) + (cell / 2.0) + 4, n.ToString(CultureInfo.InvariantCulture), anchor: "middle", size: 12, fill: fill));
                }
            }
        }

        var keyX = left + size + 30;
        svg.Append(Swatch(keyX, top, "rgba(213,94,0,0.9)", "confused (darker: more)"));
        svg.Append(Swatch(keyX, top + 22, "rgba(0,158,115,0.25)", "correct (diagonal)"));
        return svg.Append("</svg>").ToString();
    }

    public static string F1Bars(IReadOnlyList<ClassMetrics> perIntent)
    {
        if (perIntent.Count == 0)
        {
            return "<p class=\"chart-note\">No intents were evaluated.</p>";
        }

        var rows = perIntent.OrderBy(c => c.F1).ThenBy(c => c.Label, StringComparer.Ordinal).ToArray();
        var longest = rows.Max(r => r.Label.Length);
        var left = 20 + Math.Min(260, (longest * 7) + 10);
        const int row = 18, top = 70, right = 60;
        var plot = Width - left - right;
        var height = top + (rows.Length * row) + 50;
        var svg = Begin(Width, height, "F1 per intent, worst first");
        svg.Append(Legend(left, 44, [("F1 ≥ 0.9", Good, false), ("0.7 – 0.9", Palette[0], false), ("below 0.7", Bad, false)]));
        var bottom = top + (rows.Length * row);
        foreach (var tick in new[] { 0, 0.25, 0.5, 0.75, 1.0 })
        {
            var x = left + (tick * plot);
            svg.Append(F($"<line x1=\"{x:0.#}\" y1=\"{top - 4}\" x2=\"{x:0.#}\" y2=\"{bottom}\" stroke=\"{Grid}\"/>"));
            svg.Append(Text(x, bottom + 16, tick.ToString("0.##", CultureInfo.InvariantCulture), anchor: "middle", size: 11));
        }

        svg.Append(Text(left + (plot / 2.0), bottom + 36, "F1 (harmonic mean of precision and recall)", anchor: "middle", size: 12, weight: "bold"));
        for (var i = 0; i < rows.Length; i++)
        {
            var c = rows[i];
            var y = top + (i * row);
            svg.Append(Text(left - 6, y + 12, c.Label, anchor: "end", size: 12));
            svg.Append(F($"<rect x=\"{left}\" y=\"{y + 2}\" width=\"{Math.Max(1, c.F1 * plot):0.#}\" height=\"{row - 5}\" fill=\"{(c.F1 >= 0.9 ? Good : c.F1 >= 0.7 ? Palette[0] : Bad)}\"><title>{Escape(c.Label)}: precision {c.Precision:0.000}, recall {c.Recall:0.000}, F1 {c.F1:0.000}, support {c.Support}</title></rect>"));
            svg.Append(Text(left + (c.F1 * plot) + 4, y + 12, c.F1.ToString("0.00", CultureInfo.InvariantCulture), size: 11));
        }

        return svg.Append("</svg>").ToString();
    }

    public static string ConfidenceHistogram(IReadOnlyList<HistogramBin> bins)
    {
        if (bins.Count == 0)
        {
            return "<p class=\"chart-note\">No predictions to show.</p>";
        }

        const int left = 70, right = 20, top = 70, bottom = 290;
        var max = Math.Max(1, bins.Max(b => Math.Max(b.Correct, b.Wrong)));
        var axis = NiceAxis(0, max);
        var slot = (Width - left - right) / (double)bins.Count;
        var svg = Begin(Width, bottom + 50, "Confidence of the predictions: how many were right and how many wrong at each confidence");
        svg.Append(Legend(left, 44, [("correct prediction", Good, false), ("wrong prediction", Bad, false)]));
        svg.Append(YGrid(axis, left, Width - right, top, bottom, v => v.ToString("0", CultureInfo.InvariantCulture)));
        for (var i = 0; i < bins.Count; i++)
        {
            var x = left + (i * slot);
            foreach (var (count, color, offset, name) in new[] { (bins[i].Correct, Good, 0.08, "correct"), (bins[i].Wrong, Bad, 0.5, "wrong") })
            {
                var h = count / axis.Max * (bottom - top);
                svg.Append(F($"<rect x=\"{x + (slot * offset):0.#}\" y=\"{bottom - h:0.#}\" width=\"{slot * 0.42:0.#}\" height=\"{h:0.#}\" fill=\"{color}\"><title>confidence {bins[i].From:0.0}–{bins[i].To:0.0}: {count} {name}</title></rect>"));
            }

            svg.Append(Text(x, bottom + 16, bins[i].From.ToString("0.0", CultureInfo.InvariantCulture), anchor: "middle", size: 11));
        }

        svg.Append(Text(Width - right, bottom + 16, bins[^1].To.ToString("0.0", CultureInfo.InvariantCulture), anchor: "middle", size: 11));
        svg.Append(Axes(left, bottom, Width - right, top));
        svg.Append(Text(left + ((Width - left - right) / 2.0), bottom + 38, "Confidence of the predicted intent", anchor: "middle", size: 12, weight: "bold"));
        svg.Append(YTitle(20, (top + bottom) / 2.0, "Predictions"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A line chart of one or more series over epochs, with an optional mark per series (the best epoch).</summary>
    public static string LineChart(string title, string xTitle, string yTitle, IReadOnlyList<LineSeries> series, double? yMin = null, double? yMax = null, Func<double, string>? yFormat = null)
    {
        var points = series.SelectMany(s => s.Points).ToArray();
        if (points.Length == 0)
        {
            return $"<p class=\"chart-note\">{Escape(title)}: no values recorded.</p>";
        }

        yFormat ??= v => v.ToString("0.###", CultureInfo.InvariantCulture);
        var legendColumns = LegendColumns(series.Select(x => x.Name));
        var legendRows = (series.Count + legendColumns - 1) / legendColumns;
        const int left = 80, right = 30;
        var top = 50 + (legendRows * 20) + 10;
        var bottom = top + 260;
        var xMin = points.Min(p => p.X);
        var xMax = Math.Max(xMin + 1, points.Max(p => p.X));
        var axis = NiceAxis(yMin ?? Math.Min(0, points.Min(p => p.Y)), yMax ?? points.Max(p => p.Y));
        double X(double x) => left + ((x - xMin) / (xMax - xMin) * (Width - left - right));
        double Y(double y) => bottom - ((y - axis.Min) / (axis.Max - axis.Min) * (bottom - top));

        var svg = Begin(Width, bottom + 50, title);
        svg.Append(Legend(left, 44, [.. series.Select(s => (s.Name, s.Color, s.Dashed))]));
        svg.Append(YGrid(axis, left, Width - right, top, bottom, yFormat));
        var step = new[] { 1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000 }.FirstOrDefault(m => m >= (xMax - xMin) / 12, 1000);
        var ticks = Enumerable.Range(0, (int)(xMax / step) + 1).Select(i => (double)(i * step)).Where(x => x > xMin + (step / 3.0) && x <= xMax).Prepend(xMin);
        foreach (var x in ticks)
        {
            svg.Append(F($"<line x1=\"{X(x):0.#}\" y1=\"{bottom}\" x2=\"{X(x):0.#}\" y2=\"{bottom + 4}\" stroke=\"{Ink}\"/>"));
            svg.Append(Text(X(x), bottom + 17, x.ToString("0", CultureInfo.InvariantCulture), anchor: "middle", size: 11));
        }

        foreach (var s in series.Where(s => s.Points.Count > 0))
        {
            var path = string.Join(' ', s.Points.Select(p => F($"{X(p.X):0.#},{Y(p.Y):0.#}")));
            svg.Append(F($"<polyline class=\"series\" data-series=\"{Escape(s.Name)}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2.5\" stroke-dasharray=\"{(s.Dashed ? "7 4" : "none")}\" points=\"{path}\"><title>{Escape(s.Name)}</title></polyline>"));
            if (s.Points.Count == 1)
            {
                svg.Append(F($"<circle cx=\"{X(s.Points[0].X):0.#}\" cy=\"{Y(s.Points[0].Y):0.#}\" r=\"3\" fill=\"{s.Color}\"/>"));
            }

            if (s.Mark is { } mark && s.Points.FirstOrDefault(p => Math.Abs(p.X - mark) < 1e-9) is var at && at != default)
            {
                svg.Append(F($"<line x1=\"{X(mark):0.#}\" y1=\"{top}\" x2=\"{X(mark):0.#}\" y2=\"{bottom}\" stroke=\"{s.Color}\" stroke-dasharray=\"2 3\"/>"));
                svg.Append(F($"<circle class=\"best\" cx=\"{X(mark):0.#}\" cy=\"{Y(at.Y):0.#}\" r=\"5.5\" fill=\"#fff\" stroke=\"{s.Color}\" stroke-width=\"2.5\"><title>best epoch {mark:0}: {yFormat(at.Y)}</title></circle>"));
                var anchor = X(mark) > Width - 160 ? "end" : "start";
                svg.Append(Text(X(mark) + (anchor == "end" ? -8 : 8), Y(at.Y) - 9, F($"best epoch {mark:0}"), anchor: anchor, size: 11, fill: s.Color, weight: "bold"));
            }
        }

        svg.Append(Axes(left, bottom, Width - right, top));
        svg.Append(Text(left + ((Width - left - right) / 2.0), bottom + 38, xTitle, anchor: "middle", size: 12, weight: "bold"));
        svg.Append(YTitle(20, (top + bottom) / 2.0, yTitle));
        return svg.Append("</svg>").ToString();
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static StringBuilder Begin(int width, int height, string title) =>
        new StringBuilder().Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Escape(title)}\" font-family=\"system-ui, sans-serif\"><title>{Escape(title)}</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"))
            .Append(Text(16, 26, title, size: 15, weight: "bold"));

    /// <summary>Three legend columns for short names, two or one for longer ones, so names are not cut.</summary>
    private static int LegendColumns(IEnumerable<string> names)
    {
        var longest = names.DefaultIfEmpty("").Max(n => n.Length);
        return longest <= 30 ? 3 : longest <= 52 ? 2 : 1;
    }

    private static string Legend(int x, int y, IReadOnlyList<(string Name, string Color, bool Dashed)> items)
    {
        var svg = new StringBuilder();
        var columns = LegendColumns(items.Select(i => i.Name));
        var width = (Width - x - 20) / columns;
        for (var i = 0; i < items.Count; i++)
        {
            var (name, color, dashed) = items[i];
            var column = i % columns;
            var cx = x + (column * width);
            var cy = y + (i / columns * 20);
            svg.Append(F($"<g class=\"legend-item\"><line x1=\"{cx}\" y1=\"{cy - 4}\" x2=\"{cx + 26}\" y2=\"{cy - 4}\" stroke=\"{color}\" stroke-width=\"{(dashed ? 2.5 : 8)}\" stroke-dasharray=\"{(dashed ? "7 4" : "none")}\"/>"));
            svg.Append(Text(cx + 32, cy, Shorten(name, (width - 40) / 7), size: 12)).Append("</g>");
        }

        return svg.ToString();
    }

    private static string Swatch(int x, int y, string color, string label) =>
        F($"<rect x=\"{x}\" y=\"{y}\" width=\"16\" height=\"16\" fill=\"{color}\" stroke=\"#ccc\"/>") + Text(x + 22, y + 12, label, size: 12);

    private static string YGrid((double Min, double Max, double Step) axis, int left, int right, int top, int bottom, Func<double, string> format)
    {
        var svg = new StringBuilder();
        for (var v = axis.Min; v <= axis.Max + (axis.Step / 1000); v += axis.Step)
        {
            var y = bottom - ((v - axis.Min) / (axis.Max - axis.Min) * (bottom - top));
            svg.Append(F($"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{right}\" y2=\"{y:0.#}\" stroke=\"{Grid}\"/>"));
            svg.Append(Text(left - 6, y + 4, format(v), anchor: "end", size: 11));
        }

        return svg.ToString();
    }

    private static string YTitle(double x, double y, string text) =>
        F($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"12\" font-weight=\"bold\" fill=\"{Ink}\" text-anchor=\"middle\" transform=\"rotate(-90 {x:0.#} {y:0.#})\">{Escape(text)}</text>");

    /// <summary>An axis from a round number below <paramref name="min"/> to one above <paramref name="max"/>, in about five steps.</summary>
    private static (double Min, double Max, double Step) NiceAxis(double min, double max)
    {
        if (max - min < 1e-12)
        {
            max = min + 1;
        }

        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    private static string Axes(int left, int bottom, int right, int top) =>
        F($"<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\" stroke=\"{Ink}\"/><line x1=\"{left}\" y1=\"{bottom}\" x2=\"{left}\" y2=\"{top}\" stroke=\"{Ink}\"/>");

    private static string Text(double x, double y, string text, string anchor = "start", int size = 11, string fill = Ink, string weight = "normal") =>
        F($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{fill}\" text-anchor=\"{anchor}\">{Escape(text)}</text>");

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
