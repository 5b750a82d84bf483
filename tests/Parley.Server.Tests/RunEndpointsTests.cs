using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Runs;
using Parley.Nlu.Evaluation;
using Parley.Nlu.Reports;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class RunEndpointsTests(ServerFixture server)
{
    [Fact]
    public async Task GetRuns_RecordedRun_ListedWithHistoryAndBestEpoch()
    {
        var id = await SaveRunAsync([0.9, 0.5, 0.6], bestEpoch: 2);

        var list = await server.Http.GetFromJsonAsync<JsonNode>("/api/runs?kind=intent-model&status=succeeded");
        var run = await server.Http.GetFromJsonAsync<JsonNode>($"/api/runs/{id}");

        var listed = list!["data"]!.AsArray().Single(r => (string?)r!["id"] == id)!;
        Assert.Equal("train.csv", (string?)listed["data"]);
        Assert.Equal(0.5, (double?)listed["metrics"]!["validation_accuracy"]);
        Assert.Equal(2, (int?)run!["best_epoch"]);
        Assert.Equal([1, 2, 3], run["history"]!.AsArray().Select(e => (int)e!["epoch"]!));
        Assert.Equal(0.6, (double?)run["history"]![2]!["validation_accuracy"]);
        Assert.False((bool)run["live"]!);
        var failed = await server.Http.GetFromJsonAsync<JsonNode>("/api/runs?status=failed");
        Assert.DoesNotContain(failed!["data"]!.AsArray(), r => (string?)r!["id"] == id);
    }

    [Fact]
    public async Task GetChart_TwoRuns_OverlaysTheirCurvesWithLegendAndBestEpoch()
    {
        var a = await SaveRunAsync([0.4, 0.7], bestEpoch: 2);
        var b = await SaveRunAsync([0.5, 0.6, 0.8], bestEpoch: 3);

        using var response = await server.Http.GetAsync($"/api/runs/charts/accuracy.svg?ids={a},{b}");

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg);
        Assert.Equal(2, svg.Split("<polyline class=\"series\"").Length - 1);
        Assert.Contains($"data-series=\"{a}\"", svg);
        Assert.Contains("Validation accuracy (%)", svg);
        Assert.Contains(">Epoch<", svg);
        Assert.Contains("best epoch 3", svg);
        var loss = await server.Http.GetStringAsync($"/api/runs/charts/loss.svg?ids={a}");
        Assert.Contains("training loss", loss);
        Assert.Contains("validation loss", loss);
    }

    [Fact]
    public async Task GetRun_WithEvaluation_ReturnsItsReportAndItsChartsDrawFromIt()
    {
        var id = await SaveRunAsync([0.5, 0.7], bestEpoch: 2);
        var store = server.Services.GetRequiredService<IRunStore>();
        EvaluationItem[] items =
        [
            new("hi", "greet", "greet", "greet", 0.9),
            new("hello", "greet", "bye", "bye", 0.6),
            new("bye", "bye", "bye", "bye", 0.8),
            new("see you", "bye", "greet", "greet", 0.4),
            new("ciao", "bye", "bye", "bye", 0.7),
        ];
        await store.SaveAsync(RunEvaluation.Attach((await store.GetAsync(id))!, "tiny.csv (test)", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), IntentEvaluator.Compute(items), items));

        var run = await server.Http.GetFromJsonAsync<JsonNode>($"/api/runs/{id}");
        var confusion = await server.Http.GetStringAsync($"/api/runs/{id}/evaluation/confusion.svg");
        var f1 = await server.Http.GetStringAsync($"/api/runs/{id}/evaluation/f1.svg");
        var confidence = await server.Http.GetStringAsync($"/api/runs/{id}/evaluation/confidence.svg");
        using var none = await server.Http.GetAsync($"/api/runs/{await SaveRunAsync([0.5], bestEpoch: 1)}/evaluation/f1.svg");
        using var unknown = await server.Http.GetAsync($"/api/runs/{id}/evaluation/pie.svg");

        Assert.Equal("tiny.csv (test)", (string?)run!["evaluation"]!["data"]);
        Assert.Equal(1_800_000_000L, (long?)run["evaluation"]!["evaluated"]);
        Assert.Equal(0.6, (double)run["evaluation"]!["metrics"]!["accuracy"]!, 6);
        Assert.Null(run["metrics"]!["evaluation"]);
        Assert.Null(run["evaluation"]!["pairs"]);
        Assert.StartsWith("<svg", confusion);
        Assert.Contains("true greet, predicted bye: 1", confusion);
        Assert.Contains("true greet, predicted greet: 1", confusion);
        Assert.StartsWith("<svg", f1);
        Assert.Contains("greet", f1);
        Assert.StartsWith("<svg", confidence);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("evaluation_not_found", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/api/runs/run-nope", HttpStatusCode.NotFound)]
    [InlineData("/api/runs/charts/loss.svg?ids=run-nope", HttpStatusCode.NotFound)]
    [InlineData("/api/runs/charts/loss.svg", HttpStatusCode.BadRequest)]
    [InlineData("/api/runs/charts/pie.svg?ids=a", HttpStatusCode.NotFound)]
    public async Task GetRun_BadRequest_AnsweredWithTheRightStatus(string path, HttpStatusCode status)
    {
        using var response = await server.Http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]);
    }

    [Fact]
    public async Task GetRuns_WrongKey_Is401()
    {
        using var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/runs") { Headers = { Authorization = new("Bearer", "wrong") } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<string> SaveRunAsync(double[] accuracies, int bestEpoch)
    {
        var id = "run-test-" + Guid.NewGuid().ToString("N")[..8];
        var history = new JsonArray();
        for (var i = 0; i < accuracies.Length; i++)
        {
            history.Add(new JsonObject { ["epoch"] = i + 1, ["train_loss"] = 1.0 / (i + 1), ["validation_loss"] = 1.2 / (i + 1), ["validation_accuracy"] = accuracies[i], ["with_oos_class"] = false });
        }

        await server.Services.GetRequiredService<IRunStore>().SaveAsync(new RunRecord
        {
            Id = id,
            Kind = "intent-model",
            Created = DateTimeOffset.UtcNow,
            DataHash = "abc",
            Parameters = new JsonObject { ["data"] = "/somewhere/train.csv", ["learning_rate"] = 0.01 },
            History = history,
            Metrics = new JsonObject { ["best_epoch"] = bestEpoch, ["validation_accuracy"] = accuracies[bestEpoch - 1] },
        });
        return id;
    }
}
