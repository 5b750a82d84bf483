using System.Text.Json;
using Parley.Nlu.Evaluation;
using Parley.Nlu.Reports;

namespace Parley.Nlu.Tests.Reports;

public sealed class EvaluationReportWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-report-").FullName;

    private static readonly EvaluationItem[] Items =
    [
        new("hi", "greet", "greet", "greet", 0.95),
        new("where is it <b>", "order_status", "refunds", "refunds", 0.62),
        new("my money back", "refunds", "refunds", "refunds", 0.88),
        new("what is love", "oos", "oos", "greet", 0.2),
    ];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task WriteAsync_WritesMetricsJsonAndSelfContainedHtml()
    {
        var metrics = IntentEvaluator.Compute(Items);
        TrainingCurvePoint[] curve = [new(1, 1.2, 1.3, 0.5), new(2, 0.6, 0.8, 0.8), new(3, 0.3, 0.7, 0.9)];

        await EvaluationReportWriter.WriteAsync(_dir, "shop model on test", metrics, Items, curve);

        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "metrics.json"))).RootElement;
        Assert.Equal(0.75, json.GetProperty("accuracy").GetDouble());
        Assert.Equal(2 / 3.0, json.GetProperty("in_scope_accuracy").GetDouble(), 10);

        var html = await File.ReadAllTextAsync(Path.Combine(_dir, "report.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("Training curve", html);
        Assert.Contains("<polyline", html);
        Assert.Contains("order_status", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("where is it &lt;b&gt;", html);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Html_NoErrorsNoCurve_SaysSoInsteadOfEmptyCharts()
    {
        EvaluationItem[] perfect = [new("hi", "greet", "greet", "greet", 0.9)];

        var html = EvaluationReportWriter.Html("t", IntentEvaluator.Compute(perfect), perfect, []);

        Assert.Contains("No confusions", html);
        Assert.Contains("training history is not available", html);
    }
}
