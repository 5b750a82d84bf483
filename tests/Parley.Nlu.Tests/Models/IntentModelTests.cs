using Parley.Nlu.Intents;
using Parley.Nlu.Models;

namespace Parley.Nlu.Tests.Models;

public sealed class IntentModelTests
{
    [Fact]
    public async Task ClassifyAsync_InScopeText_RanksItsIntentFirst()
    {
        var (model, _, inScope, _) = await ModelFixture.TrainAsync();

        foreach (var text in inScope)
        {
            var prediction = await model.ClassifyAsync(text);

            Assert.True(text[..text.IndexOf('-')] == prediction.Best!.Intent, $"{text}: {string.Join(", ", prediction.Top)} {model.Calibration}");
            Assert.Equal(4, prediction.Top.Count);
            Assert.DoesNotContain(prediction.Top, s => s.Intent == OutOfScope.Label);
            Assert.True(prediction.Top.Zip(prediction.Top.Skip(1)).All(p => p.First.Confidence >= p.Second.Confidence));
        }
    }

    [Fact]
    public async Task ClassifyAsync_OutOfScopeText_PutsOosFirstAndKeepsTheIntentRanking()
    {
        var (model, _, _, oos) = await ModelFixture.TrainAsync();

        var prediction = await model.ClassifyAsync(oos[0]);

        Assert.Equal(OutOfScope.Label, prediction.Best!.Intent);
        Assert.Equal(5, prediction.Top.Count);
        Assert.Equal(1 - prediction.Top[1].Confidence, prediction.Best.Confidence, 9);
        Assert.DoesNotContain(prediction.Top.Skip(1), s => s.Intent == OutOfScope.Label);
    }

    [Fact]
    public async Task CalibrateAsync_Budget_ChangesOnlyTheThresholdAndKeepsWithinIt()
    {
        var (model, featurizer, inScope, oos) = await ModelFixture.TrainAsync();
        LabeledExample[] validation = [.. inScope.Select(t => new LabeledExample(t, t[..t.IndexOf('-')])), .. oos.Select(t => new LabeledExample(t, OutOfScope.Label))];

        var none = await model.CalibrateAsync(validation, maxInScopeRejection: 0);
        var balanced = await model.CalibrateAsync(validation);

        Assert.Equal(0, none.Calibration.RejectionRate);
        Assert.Contains("at most 0", none.Calibration.Criterion, StringComparison.Ordinal);
        Assert.Equal(Parley.Nlu.Training.OosCalibration.BalancedCriterion, balanced.Calibration.Criterion);
        Assert.Equal(model.Labels.Contains(OutOfScope.Label) ? Parley.Nlu.Training.OosMode.OosClassAndThreshold : Parley.Nlu.Training.OosMode.Threshold, none.Calibration.Mode);
        Assert.Same(model.Head, none.Head);
        Assert.Equal(model.Labels, none.Labels);
        foreach (var text in inScope)
        {
            Assert.NotEqual(OutOfScope.Label, (await none.ClassifyAsync(text)).Best!.Intent);
        }

        // A similarity gate: the balanced criterion keeps it and counts what it rejects; a budget removes it.
        var intents = model.Intents.ToArray();
        var centroids = await featurizer.FeaturizeAsync([.. intents.Select(i => inScope.First(t => t.StartsWith(i + "-", StringComparison.Ordinal)))]);
        var gated = model.WithGate(new SimilarityGate { Threshold = 0.9999, Labels = intents, Criterion = "test" }, centroids);
        var keptGate = await gated.CalibrateAsync(validation);
        var noGate = await gated.CalibrateAsync(validation, maxInScopeRejection: 0);
        Assert.NotNull(keptGate.Manifest.Gate);
        Assert.True(keptGate.Calibration.RejectionRate > 0.5, $"the gate rejects all but {intents.Length} in-scope items: {keptGate.Calibration.RejectionRate}");
        Assert.Null(noGate.Manifest.Gate);
        Assert.Equal(0, noGate.Calibration.RejectionRate);
        Assert.All(await noGate.PredictBatchAsync(inScope), p => Assert.False(p.IsOutOfScope));

        await Assert.ThrowsAsync<ArgumentException>(() => model.CalibrateAsync([.. validation.Where(v => v.Intent != OutOfScope.Label)]));
        await Assert.ThrowsAsync<ArgumentException>(() => model.CalibrateAsync([.. validation.Where(v => v.Intent == OutOfScope.Label)], 0.05));
    }

    [Fact]
    public async Task CalibrateAsync_ModelWithPerIntentThresholds_KeepsThemBalancedAndDropsThemForABudget()
    {
        var (model, _, inScope, oos) = await ModelFixture.TrainAsync();
        // Each probe three times: 15 items per intent, over the 10 an intent needs for a threshold of its own.
        LabeledExample[] validation =
        [
            .. Enumerable.Repeat(inScope, 3).SelectMany(t => t).Select(t => new LabeledExample(t, t[..t.IndexOf('-')])),
            .. oos.Select(t => new LabeledExample(t, OutOfScope.Label)),
        ];
        Assert.Empty(model.Calibration.IntentThresholds);

        var perIntent = await model.CalibrateAsync(validation, perIntentThresholds: true);
        var again = await perIntent.CalibrateAsync(validation);
        var budgeted = await perIntent.CalibrateAsync(validation, maxInScopeRejection: 0.05);
        var dropped = await perIntent.CalibrateAsync(validation, perIntentThresholds: false);

        Assert.Equal(model.Intents.Where(i => i != OutOfScope.Label).Order(StringComparer.Ordinal), perIntent.Calibration.IntentThresholds.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(perIntent.Calibration.IntentThresholds, again.Calibration.IntentThresholds);
        Assert.Empty(budgeted.Calibration.IntentThresholds);
        Assert.Empty(dropped.Calibration.IntentThresholds);
        Assert.Empty((await model.CalibrateAsync(validation)).Calibration.IntentThresholds);
        // Without out-of-scope items: the advice is not a budget, which cannot go with per-intent thresholds.
        var noOos = await Assert.ThrowsAsync<ArgumentException>(() => model.CalibrateAsync([.. validation.Where(v => v.Intent != OutOfScope.Label)], perIntentThresholds: true));
        Assert.StartsWith("Per-intent thresholds are chosen by the balanced criterion, which needs labelled 'oos' items", noOos.Message);
        Assert.DoesNotContain("budget", noOos.Message);
    }

    [Fact]
    public async Task CalibrateAsync_IntentTheModelDoesNotKnow_RefusedNamingIt()
    {
        var (model, _, inScope, oos) = await ModelFixture.TrainAsync();
        LabeledExample[] validation =
        [
            .. inScope.Select(t => new LabeledExample(t, t[..t.IndexOf('-')])),
            .. oos.Select(t => new LabeledExample(t, OutOfScope.Label)),
            new("where is my parcel", "track_parcel"),
            new("has my parcel shipped", "track_parcel"),
        ];

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => model.CalibrateAsync(validation, maxInScopeRejection: 0.05));

        Assert.StartsWith("The validation data has 1 intent the model does not know: 'track_parcel' (2 items);", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictBatchAsync_ReturnsRejectedAndClosedSetLabels()
    {
        var (model, featurizer, inScope, oos) = await ModelFixture.TrainAsync();

        var predictions = await model.PredictBatchAsync([.. inScope, .. oos], top: 2);

        Assert.Equal(1, featurizer.Calls);
        Assert.Equal(inScope.Select(t => t[..t.IndexOf('-')]), predictions.Take(inScope.Length).Select(p => p.Predicted));
        Assert.Equal(inScope.Select(t => t[..t.IndexOf('-')]), predictions.Take(inScope.Length).Select(p => p.ClosedPredicted));
        Assert.All(predictions.Skip(inScope.Length), p => Assert.True(p.IsOutOfScope));
        Assert.All(predictions.Skip(inScope.Length), p => Assert.NotEqual(OutOfScope.Label, p.ClosedPredicted));
        Assert.All(predictions, p => Assert.Equal(2, p.Top.Count));
        Assert.All(predictions, p => Assert.Equal(p.Top[0].Confidence, p.Confidence));
    }

    [Fact]
    public async Task ClassifyAsync_BlankText_IsOutOfScope()
    {
        var (model, _, _, _) = await ModelFixture.TrainAsync();

        Assert.Equal(OutOfScope.Label, (await model.ClassifyAsync("  ")).Best!.Intent);
    }
}
