using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Training;

public sealed class MethodSelectionTests
{
    private static LabeledExample[] Data(int intents, int perIntent) =>
        [.. Enumerable.Range(0, intents).SelectMany(i => Enumerable.Range(0, perIntent).Select(j => new LabeledExample($"utterance {j} of intent {i}", $"intent{i}")))];

    [Theory]
    [InlineData(6, 8)]
    [InlineData(6, 15)]
    [InlineData(20, 25)]
    [InlineData(77, 8)]
    public void Resolve_Embeddings_PicksHeadAndSaysWhy(int intents, int perIntent)
    {
        var (method, reason) = MethodSelection.Resolve(TrainingMethods.Auto, FeaturizerSettings.Embeddings, Data(intents, perIntent));

        Assert.Equal(TrainingMethods.Head, method);
        Assert.Contains($"{intents} intents, median {perIntent} examples per intent, {intents * perIntent} in all", reason);
    }

    [Fact]
    public void Resolve_CharNGrams_PicksHead()
    {
        var (method, reason) = MethodSelection.Resolve(TrainingMethods.Auto, FeaturizerSettings.CharNGrams, Data(6, 8));

        Assert.Equal(TrainingMethods.Head, method);
        Assert.Contains("char-ngrams", reason);
    }

    [Fact]
    public void Resolve_OnlyOos_PicksHead() =>
        Assert.Equal(TrainingMethods.Head, MethodSelection.Resolve(TrainingMethods.Auto, FeaturizerSettings.Embeddings,
            [new LabeledExample("weather", OutOfScope.Label), new LabeledExample("sports", OutOfScope.Label)]).Method);

    [Theory]
    [InlineData("head")]
    [InlineData("full")]
    [InlineData("lora")]
    [InlineData("contrastive")]
    public void Resolve_ExplicitMethod_IsKept(string requested) =>
        Assert.Equal((requested, $"method {requested} (as requested)"), MethodSelection.Resolve(requested, FeaturizerSettings.Embeddings, Data(6, 8)));

    [Fact]
    public void Resolve_UnknownMethod_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MethodSelection.Resolve("svm", FeaturizerSettings.Embeddings, Data(6, 8)));
}
