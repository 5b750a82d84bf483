using Parley.Bots.Intents;
using Parley.Bots.Packs;
using Parley.Nlu.Intents;

namespace Parley.Bots.Tests.Intents;

public sealed class IntentThresholdTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-thresholds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BotIntentClassifier Classifier(IIntentClassifier nearest, IIntentClassifier? trained = null) =>
        new(nearest, trained, 0.70) { IntentThresholds = new Dictionary<string, double> { ["emergency"] = 0.60, ["refund"] = 0.90 } };

    [Fact]
    public async Task ClassifyAsync_LowerOwnThresholdPassed_IntentRecognisedBelowTheBotsGate()
    {
        var best = (await Classifier(new FixedClassifier(new("emergency", 0.65), new("greeting", 0.40))).ClassifyAsync("my arm went numb")).Best;

        Assert.Equal(("emergency", 0.65), (best!.Intent, best.Confidence));
    }

    [Fact]
    public async Task ClassifyAsync_HigherOwnThresholdMissed_OutOfScopeAboveTheBotsGate()
    {
        var best = (await Classifier(new FixedClassifier(new("refund", 0.80), new("greeting", 0.30))).ClassifyAsync("money back?")).Best;

        Assert.Equal(OutOfScope.Label, best!.Intent);
    }

    [Fact]
    public async Task ClassifyAsync_TrainedModelNamesAnIntentWithoutItsOwnGate_NeedsTheBotsGate()
    {
        var nearest = new FixedClassifier(new("emergency", 0.62), new("greeting", 0.55));

        var greeting = (await Classifier(nearest, new FixedClassifier(new IntentScore("greeting", 0.9))).ClassifyAsync("hi, my arm")).Best;
        var emergency = (await Classifier(nearest, new FixedClassifier(new IntentScore("emergency", 0.8))).ClassifyAsync("hi, my arm")).Best;

        Assert.Equal(OutOfScope.Label, greeting!.Intent);
        Assert.Equal("emergency", emergency!.Intent);
    }

    [Fact]
    public async Task ThresholdFor_IntentWithAndWithoutItsOwn_OwnElseTheBots()
    {
        var classifier = Classifier(new FixedClassifier());

        Assert.Equal((0.60, 0.70), (classifier.ThresholdFor("emergency"), classifier.ThresholdFor("greeting")));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task LoadAsync_IntentThreshold_ReadAndCheckedForRange()
    {
        File.WriteAllText(Path.Combine(_dir, "bot.yaml"), "name: t\n");
        Directory.CreateDirectory(Path.Combine(_dir, "intents"));
        var intents = Path.Combine(_dir, "intents", "a.yaml");
        File.WriteAllText(intents, "intents:\n  - name: hi\n    threshold: 0.55\n    examples: [hello]\n    response: Hi!\n");
        Assert.Equal(0.55, Assert.Single((await BotPackLoader.LoadAsync(_dir)).Intents).Threshold);

        File.WriteAllText(intents, "intents:\n  - name: hi\n    threshold: 1.5\n    examples: [hello]\n    response: Hi!\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Contains("a.yaml:3", e.Message);
        Assert.Contains("intents[0].threshold", e.Message);
    }
}
