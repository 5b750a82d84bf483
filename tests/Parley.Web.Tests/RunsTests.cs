using Microsoft.Playwright;
using Parley.Nlu.Data;
using Parley.Nlu.Features;
using Parley.Nlu.Training;
using Parley.Storage.Sqlite;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class RunsTests(WebFixture fixture)
{
    [Fact]
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

    private async Task<string> TrainAsync(TrainerOptions options)
    {
        var data = await DatasetReader.ReadAsync(Path.Combine(TestPaths.Root, "tests", "data", "small", "restaurant.csv"));
        var split = DatasetSplitter.Split([.. data.AllItems]);
        var featurizer = new CharNGramFeaturizer(new FeaturizerSettings { Kind = FeaturizerSettings.CharNGrams });
        var model = await IntentModelTrainer.TrainAsync(featurizer, [.. split.Train.Select(i => i.ToExample())], [.. split.Validation.Select(i => i.ToExample())], options);
        var id = $"run-web-{Guid.NewGuid().ToString("N")[..8]}";
        using var store = new SqliteRunStore(new SqliteConversationStoreOptions { Path = fixture.Database });
        await store.SaveAsync(IntentModelTrainer.ToRunRecord(model, id, DateTimeOffset.UtcNow, data.Hash, null,
            new() { ["data"] = "restaurant.csv" }));
        return id;
    }
}
