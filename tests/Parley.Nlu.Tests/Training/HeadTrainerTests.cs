using System.Diagnostics;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Training;

public sealed class HeadTrainerTests
{
    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Lbfgs)]
    public async Task TrainAsync_SeparableClusters_ReachesFullAccuracy(OptimizerKind optimizer)
    {
        var (features, labels) = Synthetic.Clusters(classes: 8, perClass: 30, dimensions: 32, noise: 0.15, seed: 1);
        var (testFeatures, testLabels) = Synthetic.Clusters(classes: 8, perClass: 10, dimensions: 32, noise: 0.15, seed: 2);

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels), new TrainerOptions { Optimizer = optimizer });

        Assert.Equal(1.0, Synthetic.Accuracy(result.Head, result.Labels, features, labels));
        Assert.Equal(1.0, Synthetic.Accuracy(result.Head, result.Labels, testFeatures, testLabels));
        Assert.Equal(1.0, result.Best.ValidationAccuracy);
        Assert.Equal(Enumerable.Range(0, 8).Select(Synthetic.Label), result.Labels);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Lbfgs)]
    public async Task TrainAsync_TrainLossFalls(OptimizerKind optimizer)
    {
        var (features, labels) = Synthetic.Clusters(classes: 5, perClass: 30, dimensions: 16, noise: 0.5, seed: 3);

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels), new TrainerOptions { Optimizer = optimizer, Epochs = 20, Patience = 0, MinSteps = 0 });

        Assert.Equal(20, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss * 0.8, $"{result.History[0].TrainLoss} → {result.History[^1].TrainLoss}");
    }

    [Fact]
    public async Task TrainAsync_ValidationPeaksEarly_StopsAndRestoresTheBestEpoch()
    {
        // Class a dominates training, so the early, bias-driven head calls the validation points near the boundary "a";
        // as the weights grow the boundary moves to the margin and those points turn "b".
        float[] Point(float x) => [x, 1f];
        float[][] train = [.. Enumerable.Repeat(Point(1f), 90), .. Enumerable.Repeat(Point(-1f), 10)];
        string[] trainLabels = [.. Enumerable.Repeat("a", 90), .. Enumerable.Repeat("b", 10)];
        float[][] validation = [.. Enumerable.Range(0, 10).Select(i => Point(-0.3f - 0.05f * i))];
        string[] validationLabels = [.. Enumerable.Repeat("a", 10)];

        var result = await HeadTrainer.TrainAsync(
            new TrainingData(train, trainLabels, validation, validationLabels),
            new TrainerOptions { Epochs = 300, Patience = 40, L2 = 0, BatchSize = 10 });

        var trace = string.Join(" ", result.History.Select(h => $"{h.Epoch}:{h.ValidationAccuracy}/{h.ValidationLoss:0.###}"));
        var peak = result.History.Max(m => m.ValidationAccuracy);
        Assert.Equal(1.0, peak);
        Assert.Equal(peak, result.Best.ValidationAccuracy);
        Assert.True(result.History[^1].ValidationAccuracy < peak, trace);
        Assert.Equal(result.BestEpoch + 40, result.History.Count);
        Assert.Equal(peak, Synthetic.Accuracy(result.Head, result.Labels, validation, validationLabels));
        var restoredLoss = validation.Average(x => -Math.Log(result.Head.Predict(x)[0]));
        Assert.Equal(result.Best.ValidationLoss, restoredLoss, 5);
    }

    [Fact]
    public async Task TrainAsync_TinyValidation_TrainsTheMinimumStepsAndKeepsTheLastEpoch()
    {
        // 6 × 15 held out 10%: 1–2 validation items per intent, 3 mini-batches per epoch.
        var (features, labels) = Synthetic.Clusters(classes: 6, perClass: 15, dimensions: 16, noise: 0.6, seed: 21);

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels));

        Assert.True(result.ValidationCount < 5 * 6);
        Assert.Equal(100, result.History.Count);
        Assert.Equal(result.History.Count, result.BestEpoch);
        Assert.Equal(100, result.Options.Epochs); // what the run record says: the epochs trained, not the 50 asked
        Assert.Equal(50, new TrainerOptions().Epochs);
    }

    [Fact]
    public async Task TrainAsync_TinyValidation_CalibratesOnOutOfFoldPredictions()
    {
        var (features, labels) = Synthetic.Clusters(classes: 6, perClass: 15, dimensions: 16, noise: 0.6, seed: 21);

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels));

        // 5% of 9 validation items rounds to none (threshold 0); with the 81 out-of-fold predictions it is 4.
        Assert.True(result.Calibration.Threshold > 0.2, $"threshold {result.Calibration.Threshold}");
        Assert.InRange(result.Calibration.RejectionRate, 0.03, 0.07);
        Assert.Contains("out-of-fold", result.Calibration.Criterion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainAsync_BalancedWeighting_ChangesTheLossAndHelpsTheMinorityClass()
    {
        var (major, majorLabels) = Synthetic.Clusters(classes: 2, perClass: 200, dimensions: 16, noise: 0.6, seed: 5);
        var minority = Enumerable.Range(0, major.Length).Where(i => majorLabels[i] == Synthetic.Label(1)).ToArray();
        var keep = Enumerable.Range(0, major.Length).Where(i => majorLabels[i] == Synthetic.Label(0) || Array.IndexOf(minority, i) < 20).ToArray();
        var data = new TrainingData(keep.Select(i => major[i]).ToArray(), keep.Select(i => majorLabels[i]).ToArray());
        var (test, testLabels) = Synthetic.Clusters(classes: 2, perClass: 200, dimensions: 16, noise: 0.6, seed: 6);
        var minorityTest = Enumerable.Range(0, test.Length).Where(i => testLabels[i] == Synthetic.Label(1)).ToArray();

        var plain = await HeadTrainer.TrainAsync(data, new TrainerOptions { Epochs = 10, Patience = 0 });
        var balanced = await HeadTrainer.TrainAsync(data, new TrainerOptions { Epochs = 10, Patience = 0, ClassWeighting = ClassWeighting.Balanced });

        Assert.NotEqual(plain.History[0].TrainLoss, balanced.History[0].TrainLoss);
        double Recall(TrainingResult r) => Synthetic.Accuracy(r.Head, r.Labels, minorityTest.Select(i => test[i]).ToArray(), minorityTest.Select(i => testLabels[i]).ToArray());
        Assert.True(Recall(balanced) > Recall(plain), $"minority recall balanced {Recall(balanced)} vs plain {Recall(plain)}");
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Lbfgs)]
    public async Task TrainAsync_SameSeed_IsBitIdentical(OptimizerKind optimizer)
    {
        var (features, labels) = Synthetic.Clusters(classes: 4, perClass: 30, dimensions: 16, noise: 0.4, seed: 7);
        var data = new TrainingData(features, labels);

        var first = await HeadTrainer.TrainAsync(data, new TrainerOptions { Optimizer = optimizer, Seed = 3, Epochs = 5 });
        var second = await HeadTrainer.TrainAsync(data, new TrainerOptions { Optimizer = optimizer, Seed = 3, Epochs = 5 });

        Assert.True(first.Head.Weights.SequenceEqual(second.Head.Weights));
        Assert.True(first.Head.Bias.SequenceEqual(second.Head.Bias));
        Assert.Equal(first.History.Select(h => h.TrainLoss), second.History.Select(h => h.TrainLoss));
        Assert.Equal(first.DataHash, second.DataHash);
    }

    [Fact]
    public async Task TrainAsync_DifferentSeeds_Differ()
    {
        var (features, labels) = Synthetic.Clusters(classes: 4, perClass: 30, dimensions: 16, noise: 0.4, seed: 7);
        var data = new TrainingData(features, labels);

        var first = await HeadTrainer.TrainAsync(data, new TrainerOptions { Seed = 3, Epochs = 5 });
        var second = await HeadTrainer.TrainAsync(data, new TrainerOptions { Seed = 4, Epochs = 5 });

        Assert.False(first.Head.Weights.SequenceEqual(second.Head.Weights));
        Assert.NotEqual(first.DataHash, second.DataHash);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Lbfgs)]
    public async Task TrainAsync_Cancelled_StopsPromptly(OptimizerKind optimizer)
    {
        var (features, labels) = Synthetic.Clusters(classes: 50, perClass: 200, dimensions: 64, noise: 0.5, seed: 8);
        using var cancellation = new CancellationTokenSource();
        var epochs = 0;
        var progress = new SyncProgress(_ =>
        {
            if (++epochs == 1)
            {
                cancellation.Cancel();
            }
        });
        var options = new TrainerOptions { Optimizer = optimizer, Epochs = 10_000, Patience = 0 };

        var task = HeadTrainer.TrainAsync(new TrainingData(features, labels), options, progress, cancellation.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);

        Assert.Equal(1, epochs);
    }

    [Fact]
    public async Task TrainAsync_CancelledMidEpoch_StopsLongBeforeTheEpochsRunOut()
    {
        var (features, labels) = Synthetic.Clusters(classes: 100, perClass: 200, dimensions: 64, noise: 0.5, seed: 8);
        using var cancellation = new CancellationTokenSource();

        var task = HeadTrainer.TrainAsync(new TrainingData(features, labels), new TrainerOptions { Epochs = 10_000, Patience = 0 }, null, cancellation.Token);
        await Task.Delay(200);
        var stopwatch = Stopwatch.StartNew();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);

        // 10,000 epochs would take many minutes; a generous bound keeps a loaded CI machine from flaking.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task TrainAsync_ReportsEveryEpoch()
    {
        var (features, labels) = Synthetic.Clusters(classes: 3, perClass: 20, dimensions: 16, noise: 0.3, seed: 9);
        var reported = new List<EpochMetrics>();

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels), new TrainerOptions { Epochs = 4, Patience = 0, MinSteps = 0 }, new SyncProgress(reported.Add));

        Assert.Equal([1, 2, 3, 4], reported.Select(m => m.Epoch));
        Assert.Equal(result.History, reported);
        Assert.All(reported, m => Assert.InRange(m.ValidationAccuracy, 0, 1));
    }

    [Fact]
    public async Task TrainAsync_InvalidOptions_Throws()
    {
        var (features, labels) = Synthetic.Clusters(classes: 2, perClass: 5, dimensions: 4, noise: 0.3, seed: 9);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => HeadTrainer.TrainAsync(new TrainingData(features, labels), new TrainerOptions { LearningRate = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => HeadTrainer.TrainAsync(new TrainingData(features, labels), new TrainerOptions { ValidationFraction = 1 }));
    }

    [Fact]
    public async Task TrainAsync_OnlyOosLabels_Throws()
    {
        float[][] features = [[1f, 0f], [0f, 1f]];

        await Assert.ThrowsAsync<ArgumentException>(() => HeadTrainer.TrainAsync(new TrainingData(features, ["oos", "oos"])));
    }

    [Fact]
    public void TrainingData_MismatchedLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TrainingData([[1f, 0f], [0f]], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new TrainingData([[1f, 0f]], ["a", "b"]));
    }

    /// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    internal sealed class SyncProgress(Action<EpochMetrics> report) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value) => report(value);
    }
}
