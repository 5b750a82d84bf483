using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Parley.Nlu.Data;
using Parley.Nlu.Evaluation;
using Parley.Nlu.Reports;
using Parley.Nlu.Features;
using Parley.Nlu.Training;
using Parley.OpenAI.FineTuning;
using Parley.Server.FineTuning;
using Parley.Storage.Sqlite;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class RunsTests(WebFixture fixture)
{
    [ChromiumFact]
    public async Task RunsPages_TwoRunsTrainedHere_ListedThenComparedWithCurvesOverlaid()
    {
        var slow = await TrainAsync(new TrainerOptions { Epochs = 12, LearningRate = 0.002, Patience = 0, MinSteps = 0, Seed = 1 });
        var fast = await TrainAsync(new TrainerOptions { Epochs = 12, LearningRate = 0.05, Patience = 0, MinSteps = 0, Seed = 1 });
        var page = await fixture.NewPageAsync(width: 1280, height: 900);

        await page.GotoAsync("/#/runs");

        var rows = page.Locator("tr[data-run]");
        await Expect(page.Locator($"tr[data-run='{slow}']")).ToContainTextAsync("intent-model");
        await Expect(page.Locator($"tr[data-run='{fast}']")).ToContainTextAsync("succeeded");
        await page.GetByLabel("Status").SelectOptionAsync("failed");
        await Expect(rows).ToHaveCountAsync(0);
        await page.GetByLabel("Status").SelectOptionAsync("succeeded");
        await Expect(page.Locator($"tr[data-run='{slow}']")).ToBeVisibleAsync();

        await page.GetByLabel($"Select {slow} for comparison").CheckAsync();
        await page.GetByLabel($"Select {fast} for comparison").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare selected (2)" }).ClickAsync();

        var loss = page.Locator(".chart-loss svg");
        await Expect(loss.Locator($"polyline[data-series='{slow}: training loss']")).ToHaveCountAsync(1);
        await Expect(loss.Locator($"polyline[data-series='{fast}: training loss']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".chart-accuracy svg polyline.series")).ToHaveCountAsync(2);
        await Expect(page.Locator(".chart-accuracy svg circle.best")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.compare tr.differs", new() { HasText = "learning_rate" })).ToHaveCountAsync(1);
        await WebFixture.ScreenshotAsync(page, "run-comparison");

        await page.GetByRole(AriaRole.Link, new() { Name = slow }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync(slow);
        await Expect(page.Locator(".chart-loss svg polyline.series")).ToHaveCountAsync(2);
        await Expect(page.Locator(".kv")).Not.ToHaveCountAsync(0);
        await WebFixture.ScreenshotAsync(page, "run");
    }

    [ChromiumFact]
    public async Task RunPage_FineTuningJobStartedHere_UpdatesWithoutReloadUntilItSucceeds()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", WebFixture.ApiKey);
        var lines = new System.Text.StringBuilder();
        foreach (var (label, texts) in new[]
        {
            ("check_balance", new[] { "what's my balance", "how much money do I have", "show my account balance", "balance please", "check my balance", "what is in my account" }),
            ("lost_card", new[] { "I lost my card", "my credit card was stolen", "block my card", "I can't find my debit card", "freeze my card please", "my card is missing" }),
        })
        {
            foreach (var text in texts)
            {
                lines.Append(new System.Text.Json.Nodes.JsonObject { ["text"] = text, ["label"] = label }.ToJsonString()).Append('\n');
            }
        }

        using var form = new MultipartFormDataContent { { new StringContent("fine-tune"), "purpose" }, { new StringContent(lines.ToString()), "file", "bank.jsonl" } };
        var file = System.Text.Json.Nodes.JsonNode.Parse(await (await http.PostAsync("/v1/files", form)).Content.ReadAsStringAsync())!;
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/runs");
        await Expect(page.Locator("h1")).ToContainTextAsync("Training runs");

        using var created = await http.PostAsync("/v1/fine_tuning/jobs", System.Net.Http.Json.JsonContent.Create(new System.Text.Json.Nodes.JsonObject
        {
            ["model"] = "all-MiniLM-L6-v2",
            ["training_file"] = (string)file["id"]!,
            ["hyperparameters"] = new System.Text.Json.Nodes.JsonObject { ["n_epochs"] = 50 },
        }));
        var job = (string)System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        await page.GotoAsync("/#/runs/" + job);

        // The job may still be running when the page opens (it then polls) or already done: either way the page ends
        // at "succeeded" without a reload. A tiny job trains in about a second, so growth itself is not pinned here.
        await Expect(page.Locator("h1 .status")).ToHaveTextAsync("succeeded", new() { Timeout = 60_000 });
        await Expect(page.Locator(".live")).ToBeHiddenAsync();
        await Expect(page.Locator(".chart-loss svg polyline.series", new() { HasText = "training loss" })).ToHaveCountAsync(1);
        await Expect(page.Locator(".kv").First).ToContainTextAsync("fine-tuning");
        await page.GotoAsync("/#/runs");
        await page.GetByLabel("Kind").SelectOptionAsync("fine-tuning");
        await Expect(page.Locator($"tr[data-run='{job}']")).ToContainTextAsync("succeeded");
    }

    [ChromiumFact]
    public async Task RunPage_RunningJob_CurveGrowsAsEpochEventsArriveThenStopsWhenItSucceeds()
    {
        // The job is written into the server's fine-tuning store directly and its epochs are fed in by the test, so
        // the page is seen polling a job that is really running, at the test's pace; no worker picks it up (the
        // fixture's queue claims jobs the API wakes it for and polls the store only hourly).
        var store = fixture.Services.GetRequiredService<FineTuningStore>();
        var id = FineTuningIds.New(FineTuningIds.Job);
        await store.CreateJobAsync(new FineTuningJobObject
        {
            Id = id,
            CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Hyperparameters = new() { ["n_epochs"] = 6 },
            Model = "all-MiniLM-L6-v2",
            Status = FineTuningJobStatuses.Running,
            TrainingFile = "file-live-test",
            Seed = 1,
            Method = new() { ["type"] = "supervised" },
        }, Parley.Server.Security.ApiCaller.OwnerOf(WebFixture.ApiKey), CancellationToken.None);
        async Task EpochAsync(int epoch) => await store.AddEventAsync(id, "info", $"epoch {epoch}", "metrics", new()
        {
            ["epoch"] = epoch, ["train_loss"] = 1.0 / epoch, ["valid_loss"] = 1.2 / epoch, ["valid_mean_token_accuracy"] = 0.5 + (epoch * 0.05),
        });
        await EpochAsync(1);
        await EpochAsync(2);
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/#/runs/" + id);
        const string Points = "n => { const l = document.querySelector(\".chart-loss svg polyline.series[data-series*='training loss']\"); return l && l.getAttribute('points').trim().split(/\\s+/).length === n; }";
        await Expect(page.Locator(".live")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync(Points, 2);
        await EpochAsync(3);
        await page.WaitForFunctionAsync(Points, 3);
        await EpochAsync(4);
        await EpochAsync(5);
        await page.WaitForFunctionAsync(Points, 5);
        await Expect(page.Locator("h1 .status")).ToHaveTextAsync("running");
        await store.UpdateJobAsync(id, j => j with { Status = FineTuningJobStatuses.Succeeded, FinishedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, CancellationToken.None);

        await Expect(page.Locator("h1 .status")).ToHaveTextAsync("succeeded");
        await Expect(page.Locator(".live")).ToBeHiddenAsync();
        await Expect(page.Locator(".chart-accuracy svg polyline.series")).ToHaveCountAsync(1);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => performance.getEntriesByType('navigation').length"));
    }

    [ChromiumFact]
    public async Task RunPage_EvaluatedModel_ShowsTheEvaluationReportWithTheSharedCharts()
    {
        var id = await TrainAsync(new TrainerOptions { Epochs = 8, LearningRate = 0.05, Patience = 0, MinSteps = 0, Seed = 2 }, evaluate: true);
        var page = await fixture.NewPageAsync(width: 1280, height: 900);

        await page.GotoAsync("/#/runs/" + id);

        var report = page.Locator("section[aria-labelledby='evaluation-title']");
        await Expect(report.Locator("h2")).ToHaveTextAsync("Evaluation");
        await Expect(report).ToContainTextAsync("restaurant.csv (test)");
        await Expect(report.Locator(".kv")).ToContainTextAsync("macro-F1");
        await Expect(report.Locator(".chart-f1 svg")).ToHaveCountAsync(1);
        await Expect(report.Locator(".chart-confidence svg")).ToHaveCountAsync(1);
        await Expect(report.Locator(".chart-confusion svg")).ToHaveCountAsync(1);
        Assert.Contains("F1", await report.Locator(".chart-f1 svg").GetAttributeAsync("aria-label") ?? await report.Locator(".chart-f1 svg").InnerHTMLAsync());
        await Expect(page.Locator(".kv", new() { HasText = "evaluation" })).ToHaveCountAsync(0);
        await WebFixture.ScreenshotAsync(page, "run-evaluation");
    }

    private async Task<string> TrainAsync(TrainerOptions options, bool evaluate = false)
    {
        var data = await DatasetReader.ReadAsync(Path.Combine(TestPaths.Root, "tests", "data", "small", "restaurant.csv"));
        var split = DatasetSplitter.Split([.. data.AllItems]);
        var featurizer = new CharNGramFeaturizer(new FeaturizerSettings { Kind = FeaturizerSettings.CharNGrams });
        var model = await IntentModelTrainer.TrainAsync(featurizer, [.. split.Train.Select(i => i.ToExample())], [.. split.Validation.Select(i => i.ToExample())], options);
        var id = $"run-web-{Guid.NewGuid().ToString("N")[..8]}";
        using var store = new SqliteRunStore(new SqliteConversationStoreOptions { Path = fixture.Database });
        var run = IntentModelTrainer.ToRunRecord(model, id, DateTimeOffset.UtcNow, data.Hash, null, new() { ["data"] = "restaurant.csv" });
        if (evaluate)
        {
            // What `nlu eval --model` records on the model's run.
            var test = split.Test.Count > 0 ? split.Test : split.Validation;
            var predictions = await model.PredictBatchAsync([.. test.Select(i => i.Text)]);
            var items = test.Select((item, i) => new EvaluationItem(item.Text, item.Intent, predictions[i].Predicted, predictions[i].ClosedPredicted, predictions[i].Confidence)).ToArray();
            run = RunEvaluation.Attach(run, "restaurant.csv (test)", DateTimeOffset.UtcNow, IntentEvaluator.Compute(items), items);
        }

        await store.SaveAsync(run);
        return id;
    }
}
