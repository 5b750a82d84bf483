using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Training;

public sealed class SoftmaxHeadTests
{
    [Fact]
    public void Predict_ZeroHead_ReturnsUniformProbabilities()
    {
        var probabilities = new SoftmaxHead(4, 3).Predict([1f, 2f, 3f]);

        Assert.All(probabilities, p => Assert.Equal(0.25f, p, 6));
    }

    [Fact]
    public void Predict_HugeLogits_StaysFiniteAndSumsToOne()
    {
        var head = new SoftmaxHead(3, 2, [1000f, 0f, 999f, 0f, -1000f, 0f], [0f, 0f, 0f]);

        var probabilities = head.Predict([1f, 0f]);

        Assert.All(probabilities, p => Assert.True(float.IsFinite(p)));
        Assert.Equal(1f, probabilities.Sum(), 5);
        Assert.Equal(1 / (1 + Math.Exp(-1)), probabilities[0], 5);
        Assert.Equal(0f, probabilities[2]);
    }

    [Fact]
    public void Predict_UsesWeightsAndBias()
    {
        var head = new SoftmaxHead(2, 2, [1f, 0f, 0f, 1f], [0f, 1f]);

        var probabilities = head.Predict([2f, 0f]);

        Assert.Equal(1 / (1 + Math.Exp(-1)), probabilities[0], 5);
    }

    [Fact]
    public void Predict_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SoftmaxHead(2, 3).Predict([1f, 2f]));
    }

    [Fact]
    public void Constructor_WeightCountMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SoftmaxHead(2, 3, new float[5], new float[2]));
    }
}
