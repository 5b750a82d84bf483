using System.Globalization;
using System.Net;
using System.Text;

namespace Parley.Bots.Evaluation;

/// <summary>A <see cref="BotEvaluation"/> as one self-contained HTML page: the summary, accuracy per intent, suggested thresholds and every check.</summary>
public static class BotEvaluationHtml
{
    /// <summary>The page.</summary>
    /// <param name="evaluation">The evaluation.</param>
    public static string Render(BotEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        static string N(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Bot evaluation: {{E(evaluation.Bot)}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:72rem}
            table{border-collapse:collapse;margin:0.5rem 0 1.5rem}td,th{border-bottom:1px solid #ddd;padding:0.25rem 0.6rem;text-align:left;vertical-align:top}
            th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#176f2c}.fail{color:#b00020;font-weight:600}tr.fail td{background:#fff0f0}
            .bar{background:#e8e8e8;width:10rem;height:0.8rem;display:inline-block;vertical-align:middle}.bar span{background:#3a7bd5;height:100%;display:block}
            </style></head><body>
            <h1>Bot evaluation: {{E(evaluation.Bot)}}</h1>
            <p>{{evaluation.Passed}} of {{evaluation.Checks.Count}} checks passed, from <code>{{E(evaluation.Folder)}}</code>.</p>
            <table><tr><th>Kind</th><th class="num">Passed</th><th class="num">Checks</th></tr>
            """);
        foreach (var (kind, passed, total) in evaluation.ByKind)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(kind)}</td><td class=\"num\">{passed}</td><td class=\"num\">{total}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Accuracy per intent</h2>\n<table><tr><th>Intent</th><th class=\"num\">Checks</th><th class=\"num\">Correct</th><th>Accuracy</th></tr>\n");
        foreach (var intent in evaluation.Intents)
        {
            var width = (intent.Accuracy * 100).ToString("0", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(intent.Intent)}</td><td class=\"num\">{intent.Total}</td><td class=\"num\">{intent.Correct}</td><td><span class=\"bar\"><span style=\"width:{width}%\"></span></span> {width}%</td></tr>\n");
        }

        html.Append("</table>\n<h2>Suggested thresholds</h2>\n<p>Per intent, the highest gate that keeps as many of its checks while letting in as few out-of-scope checks (F0.5). Chosen on these checks: confirm on messages they do not contain.</p>\n");
        html.Append("<table><tr><th>Intent</th><th class=\"num\">Now</th><th class=\"num\">Suggested</th><th class=\"num\">Checks kept</th><th class=\"num\">Out-of-scope let in</th></tr>\n");
        foreach (var t in evaluation.Thresholds)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(t.Intent)}</td><td class=\"num\">{N(t.Current)}</td><td class=\"num\">{(t.Suggested is { } s ? N(s) : "—")}</td><td class=\"num\">{t.Kept}/{t.Checks}</td><td class=\"num\">{t.LetIn}/{t.OutOfScope}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Checks</h2>\n<table><tr><th></th><th>Where</th><th>Input</th><th>Expected</th><th>Got</th></tr>\n");
        foreach (var c in evaluation.Checks)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"{(c.Passed ? "ok" : "fail")}\"><td class=\"{(c.Passed ? "ok" : "fail")}\">{(c.Passed ? "ok" : "FAIL")}</td><td>{E(c.File)}:{c.Line}</td><td>{E(c.Input)}</td><td>{E(c.Expected)}</td><td>{E(c.Actual)}</td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }
}
