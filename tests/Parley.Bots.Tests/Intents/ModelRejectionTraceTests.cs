using Parley.Bots.Intents;
using Parley.Nlu.Intents;

namespace Parley.Bots.Tests.Intents;

/// <summary>The trained model's out-of-scope verdict on a message the gate let in, as explanations show it.</summary>
public sealed class ModelRejectionTraceTests
{
    private static readonly FixedClassifier Nearest = new(new IntentScore("refunds", 0.82), new IntentScore("greeting", 0.40));

    [Fact]
    public async Task ClassifyReadingAsync_GatePassedAndModelSaysOutOfScope_NotesTheModelsClosestIntent()
    {
        var trained = new FixedClassifier(new IntentScore(OutOfScope.Label, 0.69), new IntentScore("refunds", 0.31), new IntentScore("greeting", 0.05));
        var trace = new IntentGateTrace();

        var (prediction, _) = await new BotIntentClassifier(Nearest, trained, 0.70).ClassifyReadingAsync("how do I get my points back", trace);

        Assert.Equal(OutOfScope.Label, prediction.Best?.Intent);
        Assert.Equal(("refunds", 0.31), (trace.ModelRejected?.Intent, trace.ModelRejected?.Confidence));
        Assert.Null(trace.ModelThreshold); // only an IntentModel has a calibrated threshold to show
    }

    [Theory]
    [InlineData(0.90, "refunds")] // the model names an intent
    [InlineData(0.50, OutOfScope.Label)] // the gate turned it down: the model was never asked
    public async Task ClassifyReadingAsync_ModelDidNotRuleItOut_NotesNothing(double similarity, string expected)
    {
        var trained = new FixedClassifier(new IntentScore("refunds", 0.93));
        var nearest = new FixedClassifier(new IntentScore("refunds", similarity));
        var trace = new IntentGateTrace();

        var (prediction, _) = await new BotIntentClassifier(nearest, trained, 0.70).ClassifyReadingAsync("money back?", trace);

        Assert.Equal(expected, prediction.Best?.Intent);
        Assert.Null(trace.ModelRejected);
    }
}
