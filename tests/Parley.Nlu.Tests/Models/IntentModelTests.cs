using Parley.Nlu.Intents;

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
