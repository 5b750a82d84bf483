using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Parley.Core.IO;

namespace Parley.OpenAI.FineTuning;

/// <summary>
/// Writes a model comparison as <c>results.json</c> (every item) and a self-contained <c>report.html</c> (inline CSS,
/// no scripts, images or network): both accuracies side by side and the sample of differing answers.
/// </summary>
public static class ComparisonReportWriter
{
    /// <summary>The name of the HTML report in the report folder.</summary>
    public const string ReportFileName = "report.html";

    /// <summary>The name of the JSON results in the report folder.</summary>
    public const string ResultsFileName = "results.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes both files into <paramref name="folder"/> (created when missing), each atomically.</summary>
    public static async Task WriteAsync(string folder, ModelComparisonResult result, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, ResultsFileName), result.ToJson(includeItems: true).ToJsonString(Json), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, ReportFileName), Html(result), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The report page; every value from the data or the models is HTML-encoded.</summary>
    public static string Html(ModelComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
        static string Pct(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        static string Bar(double value, string css) => string.Create(CultureInfo.InvariantCulture,
            $"<div class=\"bar\"><div class=\"fill {css}\" style=\"width:{value * 100:0.#}%\"></div></div>");

        var title = $"{result.TunedModel} vs {result.BaseModel}";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{E(title)}</title>
            <style>
            body {"{"} font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #222; padding: 0 1rem; {"}"}
            table {"{"} border-collapse: collapse; margin: .5rem 0 1.5rem; width: 100%; {"}"}
            td, th {"{"} border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; vertical-align: top; {"}"}
            td.n {"{"} text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; {"}"}
            h2 {"{"} margin-top: 2rem; border-bottom: 1px solid #eee; {"}"}
            .muted {"{"} color: #666; {"}"}
            .bar {"{"} background: #eee; height: .9rem; width: 16rem; {"}"}
            .fill {"{"} height: 100%; {"}"}
            .base {"{"} background: #999; {"}"} .tuned {"{"} background: #2a7ab9; {"}"}
            .ok {"{"} background: #e6f4ea; {"}"} .bad {"{"} background: #fdecea; {"}"}
            </style></head><body>
            <h1>{E(title)}</h1>
            <p class="muted">{result.Examples} examples from {E(result.DataPath)} · exact match after normalising whitespace and case · {result.Differing} examples where the answers differ.</p>
            <table>
            <tr><th>Model</th><th>Role</th><th>Correct</th><th>Accuracy</th><th></th></tr>
            <tr><td>{E(result.BaseModel)}</td><td>base</td><td class="n">{result.BaseCorrect} / {result.Examples}</td><td class="n">{Pct(result.BaseAccuracy)}</td><td>{Bar(result.BaseAccuracy, "base")}</td></tr>
            <tr><td>{E(result.TunedModel)}</td><td>fine-tuned</td><td class="n">{result.TunedCorrect} / {result.Examples}</td><td class="n">{Pct(result.TunedAccuracy)}</td><td>{Bar(result.TunedAccuracy, "tuned")}</td></tr>
            </table>
            <h2>Differing answers (first {result.Sample.Count} of {result.Differing})</h2>
            """);
        if (result.Sample.Count == 0)
        {
            html.Append("<p class=\"muted\">The two models gave the same answers to every example.</p>");
        }
        else
        {
            html.Append("<table><tr><th>Line</th><th>Prompt</th><th>Expected</th><th>Base answer</th><th>Fine-tuned answer</th></tr>");
            foreach (var item in result.Sample)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td class=\"n\">{item.Line}</td><td>{E(item.Prompt)}</td><td>{E(item.Expected)}</td><td class=\"{(item.BaseCorrect ? "ok" : "bad")}\">{E(item.BaseAnswer)}</td><td class=\"{(item.TunedCorrect ? "ok" : "bad")}\">{E(item.TunedAnswer)}</td></tr>");
            }

            html.Append("</table>");
        }

        return html.Append("</body></html>\n").ToString();
    }
}
