using Microsoft.Extensions.AI;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Tests.Intents;

public sealed class NearestExampleIntentClassifierTests
{
    /// <summary>Maps texts to fixed unit vectors, so similarities are known exactly.</summary>
    private sealed class TableGenerator(Dictionary<string, float[]> table) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(table[v]))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static readonly TableGenerator Generator = new(new()
    {
        ["hello"] = [1, 0, 0],
        ["hi"] = [0.8f, 0.6f, 0],
        ["bye"] = [0, 1, 0],
        ["refund"] = [0, 0, 1],
        ["hey"] = [0.6f, 0.8f, 0],
    });

    [Fact]
    public async Task ClassifyAsync_RanksIntentsByTheirClosestExample()
    {
        var classifier = await NearestExampleIntentClassifier.CreateAsync(Generator,
            [new("hello", "greet"), new("hi", "greet"), new("bye", "goodbye"), new("refund", "refund")]);

        var prediction = await classifier.ClassifyAsync("hey");

        Assert.Equal(["greet", "goodbye", "refund"], prediction.Top.Select(t => t.Intent));
        Assert.Equal(0.96, prediction.Best!.Confidence, 4);
        Assert.Equal("hi", prediction.Best.Example);
        Assert.Equal(0.8, prediction.Top[1].Confidence, 4);
    }

    [Fact]
    public async Task ClassifyAsync_NoExamples_ReturnsEmptyPrediction()
    {
        var classifier = await NearestExampleIntentClassifier.CreateAsync(Generator, []);

        Assert.Null((await classifier.ClassifyAsync("hey")).Best);
    }

    [Fact]
    public async Task ClassifyAsync_Top1_ReturnsOnlyTheBest()
    {
        var classifier = await NearestExampleIntentClassifier.CreateAsync(Generator, [new("hello", "greet"), new("bye", "goodbye")], top: 1);

        Assert.Single((await classifier.ClassifyAsync("hey")).Top);
    }

    [Fact]
    public async Task CreateAsync_FeaturizerWithInverseDocumentFrequency_SharedGramsCountLess()
    {
        var featurizer = new Parley.Nlu.Features.CharNGramFeaturizer(
            new Parley.Nlu.Features.FeaturizerSettings { Kind = Parley.Nlu.Features.FeaturizerSettings.CharNGrams, NGramMin = 1, NGramMax = 1, HashBits = 16 });
        LabeledExample[] examples = [new("退货吗", "returns"), new("付款吗", "payment"), new("发货吗", "shipping"), new("取消吗", "cancel")];
        var plain = await NearestExampleIntentClassifier.CreateAsync(featurizer, examples);
        var weighted = await NearestExampleIntentClassifier.CreateAsync(featurizer, examples, inverseDocumentFrequency: true);

        // "吗" is in every example: it makes an unrelated question look like all of them, less so once weighted.
        var unrelated = "下雨吗";
        var plainScore = (await plain.ClassifyAsync(unrelated)).Best!.Confidence;
        var weightedScore = (await weighted.ClassifyAsync(unrelated)).Best!.Confidence;

        Assert.True(weightedScore < plainScore - 0.1, $"{weightedScore} vs {plainScore}");
        Assert.Equal("returns", (await weighted.ClassifyAsync("退货")).Best!.Intent);
        Assert.Equal(1, (await weighted.ClassifyAsync("退货吗")).Best!.Confidence, 3);
    }
}
