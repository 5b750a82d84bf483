using Parley.Bots.Intents;
using Parley.Nlu.Intents;

namespace Parley.Bots.Tests.Intents;

/// <summary>
/// The character n-gram gate lets a message in for the intent whose example it resembles, and for that intent only:
/// whoever then names the intent (the trained model, or the nearest example without one) has to agree with it.
/// </summary>
public sealed class TypoGateVouchingTests
{
    // "Do you have a physical store where I can pick up my order?" on the shop bot: the embedding gate turned it down
    // (order_status 0.58 < 0.70), the n-gram gate let it in as gift_cards, and the model named order_status.
    private static readonly FixedClassifier Nearest = new(new IntentScore("order_status", 0.58), new IntentScore("cancel_order", 0.51));

    [Theory]
    [InlineData("gift_cards", "order_status", OutOfScope.Label)] // the model names another intent than the one the gate vouched for
    [InlineData("order_status", "order_status", "order_status")] // a typo: the gate and the model agree
    public async Task ClassifyAsync_OnlyTheTypoGateLetItIn_KeepsTheModelsIntentOnlyWhenTheGateVouchedForIt(string gate, string model, string expected)
    {
        var spelling = new FixedClassifier(new IntentScore(gate, 0.56));
        var trained = new FixedClassifier(new IntentScore(model, 0.90));
        var classifier = new BotIntentClassifier(Nearest, trained, 0.70, spelling, 0.45);

        var trace = new IntentGateTrace();

        var (prediction, _) = await classifier.ClassifyReadingAsync("do you have a physical store where i can pick up my order", trace);

        Assert.Equal(expected, prediction.Best?.Intent);
        Assert.Equal(gate == model ? null : model, trace.TypoGateOverruledBy);
    }

    [Fact]
    public async Task ClassifyAsync_TheEmbeddingGateLetItIn_TheModelNamesTheIntentWhateverTheTypoGateSays()
    {
        var nearest = new FixedClassifier(new IntentScore("order_status", 0.80));
        var spelling = new FixedClassifier(new IntentScore("gift_cards", 0.90));
        var trained = new FixedClassifier(new IntentScore("cancel_order", 0.90));

        var prediction = await new BotIntentClassifier(nearest, trained, 0.70, spelling, 0.45).ClassifyAsync("cancel it please");

        Assert.Equal("cancel_order", prediction.Best?.Intent);
    }
}
