using Parley.Nlu.Data;
using Parley.Nlu.Embeddings;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
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

        // --method auto keeps the head for 15 per intent (docs/BENCHMARKS.md); the similarity gate rejects what is far from every intent.
        Assert.Equal(TrainingMethods.Head, MethodSelection.Resolve(TrainingMethods.Auto, FeaturizerSettings.Embeddings, [.. split.Train.Select(i => i.ToExample())]).Method);
        var gate = Assert.IsType<Parley.Nlu.Models.SimilarityGate>(model.Manifest.Gate);
        var unrelated = await model.PredictBatchAsync(["what's the capital of France", "who won the world cup"]);
        output.WriteLine($"gate threshold {gate.Threshold:0.000}, in-scope rejection {gate.InScopeRejection:0.000}");
        Assert.All(unrelated, p => Assert.True(p.IsOutOfScope, $"{p.ClosedPredicted} {p.Confidence:0.000} accepted"));
        Assert.True(gate.InScopeRejection <= SimilarityGateCalibrator.MaxInScopeRejection);
    }

    [Fact]
    public async Task TrainAsync_InScopeRejectionBudgetWithOosValidation_FitsNoSimilarityGate()
    {
        var data = await DatasetReader.ReadAsync(Path.Combine(Parley.Testing.TestPaths.Root, "tests", "data", "small", "restaurant.csv"));
        var split = DatasetSplitter.Split([.. data.AllItems]);
        using var embeddings = new MiniLmEmbeddingGenerator();
        var featurizer = new EmbeddingFeaturizer(embeddings);
        LabeledExample[] training = [.. split.Train.Select(i => i.ToExample())];
        LabeledExample[] validation =
        [
            .. split.Validation.Select(i => i.ToExample()),
            .. new[] { "what's the capital of France", "who won the world cup", "how do I fix my bike", "play some jazz" }.Select(t => new LabeledExample(t, Parley.Nlu.Intents.OutOfScope.Label)),
        ];

        var balanced = await IntentModelTrainer.TrainAsync(featurizer, training, validation);
        var budgeted = await IntentModelTrainer.TrainAsync(featurizer, training, validation, new TrainerOptions { MaxInScopeRejection = 0.05 });

        // The budget bounds every in-scope rejection and the head's threshold takes all of it; the balanced model keeps its gate.
        Assert.NotNull(balanced.Manifest.Gate);
        Assert.Null(budgeted.Manifest.Gate);
        Assert.Contains("at most 0.05", budgeted.Calibration.Criterion, StringComparison.Ordinal);
        Assert.True(budgeted.Calibration.RejectionRate <= 0.05, $"{budgeted.Calibration.RejectionRate}");
    }
}
