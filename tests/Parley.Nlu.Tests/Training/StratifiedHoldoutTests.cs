using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Training;

public sealed class StratifiedHoldoutTests
{
    private static readonly string[] Labels =
        [.. Enumerable.Repeat("a", 50), .. Enumerable.Repeat("b", 30), .. Enumerable.Repeat("c", 20), .. Enumerable.Repeat("d", 1)];

    [Fact]
    public void Split_KeepsLabelProportions()
    {
        var (train, validation) = StratifiedHoldout.Split(Labels, 0.1, seed: 42);

        var counts = validation.GroupBy(i => Labels[i]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, counts["a"]);
        Assert.Equal(3, counts["b"]);
        Assert.Equal(2, counts["c"]);
        Assert.False(counts.ContainsKey("d"));
        Assert.Equal(Enumerable.Range(0, Labels.Length), train.Concat(validation).Order());
    }

    [Fact]
    public void Split_SameSeed_SameSplit_DifferentSeed_DifferentSplit()
    {
        var first = StratifiedHoldout.Split(Labels, 0.2, seed: 1).Validation;

        Assert.Equal(first, StratifiedHoldout.Split(Labels, 0.2, seed: 1).Validation);
        Assert.NotEqual(first, StratifiedHoldout.Split(Labels, 0.2, seed: 2).Validation);
    }

    [Fact]
    public async Task TrainAsync_NoValidationSet_HoldsOutAStratifiedShare()
    {
        var (features, labels) = Synthetic.Clusters(classes: 3, perClass: 40, dimensions: 16, noise: 0.1, seed: 1);

        var result = await HeadTrainer.TrainAsync(new TrainingData(features, labels), new TrainerOptions { Epochs = 2, ValidationFraction = 0.25 });

        Assert.Equal(30, result.ValidationCount);
        Assert.Equal(90, result.TrainCount);
    }
}
