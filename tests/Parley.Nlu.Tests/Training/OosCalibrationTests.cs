using Parley.Nlu.Intents;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Training;

public sealed class OosCalibrationTests
{
    private const int Dimensions = 32;

    [Fact]
    public async Task TrainAsync_LabelledOosInValidation_PutsTheThresholdBetweenTheConfidenceClusters()
    {
        var (train, trainLabels) = Synthetic.Clusters(classes: 6, perClass: 30, Dimensions, noise: 0.2, seed: 1);
        var (valIn, valInLabels) = Synthetic.Clusters(classes: 6, perClass: 10, Dimensions, noise: 0.2, seed: 2);
        var valOos = Synthetic.Outliers(30, Dimensions, seed: 3);
        float[][] validation = [.. valIn, .. valOos];
        string[] validationLabels = [.. valInLabels, .. Enumerable.Repeat(OutOfScope.Label, 30)];

        var result = await HeadTrainer.TrainAsync(new TrainingData(train, trainLabels, validation, validationLabels));

        var calibration = result.Calibration;
        Assert.Equal(OosMode.Threshold, calibration.Mode);
        Assert.Equal(OosCalibration.BalancedCriterion, calibration.Criterion);
        var highestOos = valOos.Max(x => result.Head.Predict(x).Max());
        var lowestInScope = valIn.Min(x => result.Head.Predict(x).Max());
        Assert.True(highestOos < lowestInScope, "the synthetic clusters should be separable by confidence");
        Assert.InRange(calibration.Threshold, highestOos, lowestInScope);
        Assert.Equal(1.0, calibration.OosRecall);
        Assert.Equal(1.0, calibration.InScopeAccuracy);
        Assert.Single(calibration.Candidates);
    }

    [Fact]
    public async Task TrainAsync_OosInTraining_ComparesThreeStrategiesAndKeepsTheBest()
    {
        var (train, trainLabels) = Synthetic.Clusters(classes: 6, perClass: 30, Dimensions, noise: 0.3, seed: 1);
        var (valIn, valInLabels) = Synthetic.Clusters(classes: 6, perClass: 10, Dimensions, noise: 0.3, seed: 2);
        float[][] features = [.. train, .. Synthetic.Outliers(40, Dimensions, seed: 4)];
        string[] labels = [.. trainLabels, .. Enumerable.Repeat(OutOfScope.Label, 40)];
        float[][] validation = [.. valIn, .. Synthetic.Outliers(20, Dimensions, seed: 5)];
        string[] validationLabels = [.. valInLabels, .. Enumerable.Repeat(OutOfScope.Label, 20)];

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels, validation, validationLabels));

        var candidates = result.Calibration.Candidates;
        Assert.Equal([OosMode.Threshold, OosMode.OosClass, OosMode.OosClassAndThreshold], candidates.Select(c => c.Mode));
        var best = candidates.MaxBy(c => c.Score)!;
        Assert.Equal(best.Score, candidates.Single(c => c.Mode == result.Calibration.Mode).Score);
        Assert.All(candidates, c => Assert.Equal((c.InScopeAccuracy + c.OosRecall!.Value) / 2, c.Score, 12));
        Assert.Equal(result.Calibration.Mode != OosMode.Threshold, result.Labels.Contains(OutOfScope.Label));
        Assert.Equal(0, candidates.Single(c => c.Mode == OosMode.OosClass).Threshold);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.02)]
    [InlineData(0.1)]
    public async Task TrainAsync_MaxInScopeRejection_RejectsAtMostThatShareAndAllOosItAllows(double budget)
    {
        // Noisy clusters and outliers of mixed size, so in-scope and oos confidences overlap and the budget matters.
        var (train, trainLabels) = Synthetic.Clusters(classes: 5, perClass: 60, Dimensions, noise: 1.0, seed: 1);
        var (valIn, valInLabels) = Synthetic.Clusters(classes: 5, perClass: 40, Dimensions, noise: 1.0, seed: 2);
        var valOos = Synthetic.Outliers(60, Dimensions, seed: 3).Select((x, i) => x.Select(v => v * (1 + (i % 20))).ToArray()).ToArray();
        float[][] validation = [.. valIn, .. valOos];
        string[] validationLabels = [.. valInLabels, .. Enumerable.Repeat(OutOfScope.Label, valOos.Length)];

        var result = await HeadTrainer.TrainAsync(new TrainingData(train, trainLabels, validation, validationLabels), new TrainerOptions { MaxInScopeRejection = budget });

        var calibration = result.Calibration;
        var inScopeConfidences = valIn.Select(x => result.Head.Predict(x).Max()).Order().ToArray();
        var rejected = inScopeConfidences.Count(c => c < calibration.Threshold);
        Assert.True(rejected <= budget * valIn.Length + 1e-9, $"{rejected} of {valIn.Length} rejected for a budget of {budget}");
        Assert.Equal(rejected / (double)valIn.Length, calibration.RejectionRate, 12);
        // The highest threshold within the budget: one more rejected in-scope item would break it.
        Assert.True(rejected + 1 > budget * valIn.Length + 1e-9, $"threshold {calibration.Threshold} rejects {rejected}: lower than the budget allows");
        Assert.True(calibration.Threshold < inScopeConfidences[rejected], "the threshold must keep the next in-scope item");
        var recall = valOos.Count(x => result.Head.Predict(x).Max() < calibration.Threshold) / (double)valOos.Length;
        Assert.Equal(recall, calibration.OosRecall!.Value, 12);
        Assert.Contains($"at most {budget.ToString(System.Globalization.CultureInfo.InvariantCulture)}", calibration.Criterion, StringComparison.Ordinal);

        var balanced = await HeadTrainer.TrainAsync(new TrainingData(train, trainLabels, validation, validationLabels));
        Assert.Equal(OosCalibration.BalancedCriterion, balanced.Calibration.Criterion);
    }

    [Fact]
    public async Task TrainAsync_MaxInScopeRejectionOutOfRange_Throws()
    {
        var (train, labels) = Synthetic.Clusters(classes: 2, perClass: 10, Dimensions, noise: 0.2, seed: 1);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => HeadTrainer.TrainAsync(new TrainingData(train, labels), new TrainerOptions { MaxInScopeRejection = 1.0 }));
    }

    [Fact]
    public async Task TrainAsync_NoOosLabels_RejectsTheTargetShareOfValidation()
    {
        var (train, trainLabels) = Synthetic.Clusters(classes: 5, perClass: 60, Dimensions, noise: 1.0, seed: 1);
        var (validation, validationLabels) = Synthetic.Clusters(classes: 5, perClass: 80, Dimensions, noise: 1.0, seed: 2);

        var result = await HeadTrainer.TrainAsync(new TrainingData(train, trainLabels, validation, validationLabels), new TrainerOptions { TargetRejectionRate = 0.1 });

        Assert.Equal(OosMode.Threshold, result.Calibration.Mode);
        Assert.Null(result.Calibration.OosRecall);
        var rejected = validation.Count(x => result.Head.Predict(x).Max() < result.Calibration.Threshold) / (double)validation.Length;
        Assert.InRange(rejected, 0.09, 0.11);
        Assert.Equal(rejected, result.Calibration.RejectionRate, 12);
        Assert.Contains("0.1", result.Calibration.Criterion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainAsync_DefaultTarget_RejectsAboutFivePercent()
    {
        var (features, labels) = Synthetic.Clusters(classes: 4, perClass: 250, Dimensions, noise: 1.0, seed: 11);

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels));

        Assert.Equal(100, result.ValidationCount);
        Assert.InRange(result.Calibration.RejectionRate, 0.04, 0.06);
    }

    [Fact]
    public async Task TrainAsync_PerIntentThresholds_CalibratesIntentsWithEnoughItems()
    {
        var (train, trainLabels) = Synthetic.Clusters(classes: 3, perClass: 40, Dimensions, noise: 0.8, seed: 1);
        var (valIn, valInLabels) = Synthetic.Clusters(classes: 3, perClass: 20, Dimensions, noise: 0.8, seed: 2);
        float[][] validation = [.. valIn, .. Synthetic.Outliers(15, Dimensions, seed: 3)];
        string[] validationLabels = [.. valInLabels, .. Enumerable.Repeat(OutOfScope.Label, 15)];

        var result = await HeadTrainer.TrainAsync(
            new TrainingData(train, trainLabels, validation, validationLabels),
            new TrainerOptions { PerIntentThresholds = true, MinItemsPerIntentThreshold = 5 });

        Assert.Equal(result.Labels.Order(), result.Calibration.IntentThresholds.Keys.Order());
        foreach (var (intent, threshold) in result.Calibration.IntentThresholds)
        {
            Assert.Equal(threshold, result.Calibration.ThresholdFor(intent));
        }
    }

    [Fact]
    public async Task TrainAsync_NoValidationData_NeverRejects()
    {
        var (features, labels) = Synthetic.Clusters(classes: 3, perClass: 10, Dimensions, noise: 0.2, seed: 1);

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels), new TrainerOptions { ValidationFraction = 0, Epochs = 3, MinSteps = 0 });

        Assert.Equal(OosMode.None, result.Calibration.Mode);
        Assert.Equal(0, result.Calibration.ThresholdFor(Synthetic.Label(0)));
        Assert.Equal(3, result.BestEpoch);
    }
}
