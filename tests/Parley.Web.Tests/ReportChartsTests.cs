using Parley.Nlu.Evaluation;
using Parley.Nlu.Reports;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class ReportChartsTests(WebFixture fixture)
{
    [ChromiumFact]
    public async Task EvaluationReport_InChromium_ChartsHaveTitlesAxesAndLegends()
    {
        string[] intents = ["order_status", "returns_policy", "shipping_times", "payment_methods", "cancel_order", "store_hours", "loyalty_points", "gift_cards"];
        var random = new Random(7);
        var items = new List<EvaluationItem>();
        foreach (var gold in intents.Append("oos"))
        {
            for (var i = 0; i < 25; i++)
            {
                var wrong = random.NextDouble() < (gold is "returns_policy" or "cancel_order" ? 0.35 : 0.08);
                var predicted = wrong ? intents[random.Next(intents.Length)] : gold;
                items.Add(new EvaluationItem($"{gold} example {i}", gold, predicted, predicted == "oos" ? intents[0] : predicted, wrong ? 0.3 + (random.NextDouble() * 0.4) : 0.6 + (random.NextDouble() * 0.4)));
            }
        }

        TrainingCurvePoint[] curve = [.. Enumerable.Range(1, 15).Select(e => new TrainingCurvePoint(e, 2.0 / e, 2.2 / Math.Sqrt(e), Math.Min(0.95, 0.4 + (e * 0.04))))];
        var html = EvaluationReportWriter.Html("shop model on test.csv", IntentEvaluator.Compute(items), items, curve);
        var page = await fixture.NewPageAsync(apiKey: null, width: 1100, height: 900);

        await page.SetContentAsync(html);

        var heat = page.Locator("svg.chart").First;
        await Expect(heat.Locator("text", new() { HasText = "True intent" })).ToHaveCountAsync(1);
        await Expect(heat.Locator("text", new() { HasText = "Predicted intent" })).ToHaveCountAsync(1);
        await Expect(page.Locator("svg.chart text", new() { HasText = "correct prediction" })).ToHaveCountAsync(1);
        await Expect(page.Locator("svg.chart text", new() { HasText = "best epoch 14" })).ToHaveCountAsync(2);
        Assert.Equal(5, await page.Locator("svg.chart").CountAsync());
        await WebFixture.ScreenshotAsync(page, "evaluation-report");
    }
}
