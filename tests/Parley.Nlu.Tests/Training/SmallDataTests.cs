using Parley.Nlu.Data;
using Parley.Nlu.Embeddings;
using Parley.Nlu.Features;
using Parley.Nlu.Training;
using Xunit.Abstractions;

namespace Parley.Nlu.Tests.Training;

/// <summary>
/// The case of issue 11: 6 intents × 15 examples (tests/data/small/restaurant.csv), split as `data split` does, trained
/// with the defaults on the real encoder. It used to stop at epoch 2 with confidences 0.18–0.29 and threshold 0.000.
/// </summary>
public sealed class SmallDataTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TrainAsync_SixIntentsFifteenExamples_DefaultsFitWell()
    {
        var data = await DatasetReader.ReadAsync(Path.Combine(Parley.Testing.TestPaths.Root, "tests", "data", "small", "restaurant.csv"));
        var split = DatasetSplitter.Split([.. data.AllItems]);
        using var embeddings = new MiniLmEmbeddingGenerator();
        var featurizer = new EmbeddingFeaturizer(embeddings);

        var model = await IntentModelTrainer.TrainAsync(
            featurizer, [.. split.Train.Select(i => i.ToExample())], [.. split.Validation.Select(i => i.ToExample())]);

        var training = await model.PredictBatchAsync([.. split.Train.Select(i => i.Text)]);
        var least = training.Min(p => p.Confidence);
        output.WriteLine($"best epoch {model.Manifest.Metrics["best_epoch"]}, threshold {model.Calibration.Threshold:0.000}, least training confidence {least:0.000}");
        Assert.All(training.Zip(split.Train), p => Assert.Equal(p.Second.Intent, p.First.Predicted));
        Assert.True(least >= 0.9, $"least training confidence {least}");
        Assert.True(model.Calibration.Threshold > 0.2, $"threshold {model.Calibration.Threshold}");
        var test = await model.PredictBatchAsync([.. split.Test.Select(i => i.Text)]);
        Assert.Equal(split.Test.Count, test.Zip(split.Test).Count(p => p.First.ClosedPredicted == p.Second.Intent));
    }
}
