using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Parley.Nlu.Reports;
using Parley.Server.Errors;
using Parley.Server.Security;

namespace Parley.Server.Runs;

/// <summary>
/// Maps <c>GET /api/runs</c> (training runs and fine-tuning jobs, filtered by <c>kind</c>, <c>data</c> and
/// <c>status</c>), <c>GET /api/runs/{id}</c> and <c>GET /api/runs/charts/{chart}.svg?ids=A,B</c> (the loss or
/// validation-accuracy curves of one run or several overlaid, drawn by <see cref="TrainingCharts"/>).
/// </summary>
public static class RunEndpoints
{
    /// <summary>The most runs one chart overlays.</summary>
    public const int MaxCompared = 7;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/runs");
        group.MapGet("/", ListAsync);
        group.MapGet("/charts/{chart}.svg", ChartAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/evaluation/{chart}.svg", EvaluationChartAsync);
        return app;
    }

    private static async Task<Ok<RunList>> ListAsync(HttpContext context, RunCatalog catalog, string? kind, string? data, string? status, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RunList(await catalog.ListAsync(Empty(kind), Empty(data), Empty(status), ApiCaller.Of(context), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<RunDetail>> GetAsync(string id, HttpContext context, RunCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.GetAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id));

    private static async Task<ContentHttpResult> ChartAsync(string chart, string? ids, HttpContext context, RunCatalog catalog, CancellationToken cancellationToken)
    {
        Func<IReadOnlyList<RunCurve>, string> draw = chart switch
        {
            "loss" => TrainingCharts.Loss,
            "accuracy" => TrainingCharts.ValidationAccuracy,
            _ => throw new ApiException(404, $"no chart '{chart}': the charts are 'loss' and 'accuracy'", "chart", "chart_not_found"),
        };
        var names = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length is 0 or > MaxCompared)
        {
            throw ApiException.Invalid("ids", $"'ids' must name 1 to {MaxCompared} runs, separated by commas");
        }

        var curves = new List<RunCurve>();
        foreach (var id in names)
        {
            var run = await catalog.GetAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            curves.Add(new RunCurve(id, [.. run.History.Select(e => new TrainingCurvePoint(e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy))], run.BestEpoch));
        }

        var svg = curves.All(c => c.Points.Count == 0) ? Note("No epochs recorded yet.") : draw(curves);
        if (!svg.StartsWith("<svg", StringComparison.Ordinal))
        {
            // The charts say in a paragraph when there is nothing to draw; an image needs the sentence as SVG.
            svg = Note(WebUtility.HtmlDecode(svg[(svg.IndexOf('>', StringComparison.Ordinal) + 1)..svg.LastIndexOf("</p>", StringComparison.Ordinal)]));
        }

        return TypedResults.Content(svg, "image/svg+xml; charset=utf-8");
    }

    private static async Task<ContentHttpResult> EvaluationChartAsync(string id, string chart, RunCatalog catalog, CancellationToken cancellationToken)
    {
        var run = await catalog.GetRecordAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        var (metrics, items) = RunEvaluation.Read(run.Metrics)
            ?? throw new ApiException(404, $"run '{id}' has no evaluation report: run `parley nlu eval --model` on its model", "id", "evaluation_not_found");
        var svg = chart switch
        {
            "confusion" => EvaluationCharts.Confusions(metrics, items),
            "f1" => EvaluationCharts.F1(metrics),
            "confidence" => EvaluationCharts.Confidence(metrics),
            _ => throw new ApiException(404, $"no chart '{chart}': the evaluation charts are 'confusion', 'f1' and 'confidence'", "chart", "chart_not_found"),
        };
        if (!svg.StartsWith("<svg", StringComparison.Ordinal))
        {
            svg = Note(WebUtility.HtmlDecode(svg[(svg.IndexOf('>', StringComparison.Ordinal) + 1)..svg.LastIndexOf("</p>", StringComparison.Ordinal)]));
        }

        return TypedResults.Content(svg, "image/svg+xml; charset=utf-8");
    }

    private static string Note(string text) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 880 60\" width=\"880\" height=\"60\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(text)}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><text x=\"16\" y=\"34\" font-family=\"system-ui, sans-serif\" font-size=\"14\" fill=\"#222\">{WebUtility.HtmlEncode(text)}</text></svg>";

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static ApiException NotFound(string id) => new(404, $"no run or fine-tuning job '{id}'", "id", "run_not_found");
}
