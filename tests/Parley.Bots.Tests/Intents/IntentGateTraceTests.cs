using Parley.Bots.Intents;
using Parley.Bots.Knowledge;
using Parley.Bots.Packs;
using Parley.Nlu.Embeddings;
using Parley.Retrieval.Knowledge;
using Parley.Testing;

namespace Parley.Bots.Tests.Intents;

/// <summary>What the shop bot's gates saw, as explanations show it (the gates without a trained model: no training here).</summary>
public sealed class IntentGateTraceTests(IntentGateTraceTests.ShopGate shop) : IClassFixture<IntentGateTraceTests.ShopGate>
{
    private readonly BotIntentClassifier _classifier = shop.Classifier;

    /// <summary>The shop pack's classifier, built once for the class.</summary>
    public sealed class ShopGate : IAsyncLifetime
    {
        private readonly MiniLmEmbeddingGenerator _embeddings = new(intraOpThreads: 1);

        public BotIntentClassifier Classifier { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var pack = await BotPackLoader.LoadAsync(TestPaths.ShopBot);
            var knowledge = await DenseKnowledgeIndex.BuildAsync(_embeddings, pack.KnowledgePath, WordPieceChunking.Create());
            Classifier = await BotIntentClassifier.CreateAsync(pack, _embeddings, knowledge: knowledge);
        }

        public Task DisposeAsync()
        {
            _embeddings.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task ClassifyReadingAsync_KnowledgeQuestionTheTypoGateLetIn_NotesThePassageThatTookIt()
    {
        var trace = new IntentGateTrace();

        var (prediction, _) = await _classifier.ClassifyReadingAsync("is the cast iron skillet dishwasher safe", trace);

        Assert.Equal(Parley.Nlu.Intents.OutOfScope.Label, prediction.Best?.Intent);
        Assert.NotNull(trace.TypoGate);
        Assert.True(trace.TypoGate.Confidence >= trace.TypoGateThreshold);
        Assert.NotNull(trace.TakenFrom);
        Assert.Equal("product-care.md", trace.KnowledgeTookOver?.Passage.Source);
        Assert.True(trace.KnowledgeTookOver!.Score >= IntentGate.KnowledgeOverride);
    }

    [Fact]
    public async Task ClassifyReadingAsync_MisspeltQuestion_NotesTheTypoGateAndNoTakeover()
    {
        var trace = new IntentGateTrace();

        var (prediction, _) = await _classifier.ClassifyReadingAsync("where is my oder?", trace);

        Assert.NotEqual(Parley.Nlu.Intents.OutOfScope.Label, prediction.Best?.Intent);
        Assert.NotNull(trace.TypoGate);
        Assert.True(trace.TypoGate.Confidence >= trace.TypoGateThreshold);
        Assert.Null(trace.KnowledgeTookOver);
    }

    [Fact]
    public async Task ClassifyReadingAsync_CloseToAnExample_DoesNotAskTheTypoGate()
    {
        var trace = new IntentGateTrace();

        var (prediction, _) = await _classifier.ClassifyReadingAsync("where is my order?", trace);

        Assert.Equal("order_status", prediction.Best?.Intent);
        Assert.Null(trace.TypoGate);
        Assert.Null(trace.KnowledgeTookOver);
    }

    [Fact]
    public async Task ClassifyReadingAsync_StoryThenRequest_ReadsTheAskingSentenceAndSaysSo()
    {
        var trace = new IntentGateTrace();

        var (prediction, readAs) = await _classifier.ClassifyReadingAsync("I ordered the wrong size by mistake. It hasn't shipped yet. Please cancel my order.", trace);

        Assert.Equal("cancel_order", prediction.Best?.Intent);
        Assert.Equal("Please cancel my order.", readAs);
        Assert.True(trace.ReadOneSentence);
    }

    [Fact]
    public async Task ClassifyReadingAsync_ThanksThenAnUnrelatedQuestion_StaysOutOfScope()
    {
        const string thanks = "Thank you so much for your help earlier.";
        var trace = new IntentGateTrace();

        var (prediction, readAs) = await _classifier.ClassifyReadingAsync($"{thanks} Who won the football match last night?", trace);

        // The thanks alone is an intent; but the message asks something else, and only the asking sentence counts.
        Assert.Equal("thanks", (await _classifier.ClassifyAsync(thanks)).Best?.Intent);
        Assert.Equal(Parley.Nlu.Intents.OutOfScope.Label, prediction.Best?.Intent);
        Assert.Null(readAs);
        Assert.False(trace.ReadOneSentence);
    }

    [Fact]
    public async Task ClassifyReadingAsync_TypoGateLetsInAnotherIntentThanTheNearestExamples_IsOutOfScopeWithoutAModel()
    {
        var trace = new IntentGateTrace();

        var (prediction, _) = await _classifier.ClassifyReadingAsync("Thanks for all your help earlier today. Do you know a good book about the Roman empire?", trace);

        Assert.False(_classifier.IsTrained);
        Assert.Equal("thanks", trace.TypoGate?.Intent);
        Assert.True(trace.TypoGate!.Confidence >= trace.TypoGateThreshold, "the typo gate let it in");
        Assert.Equal("greeting", (await _classifier.GateAsync("Thanks for all your help earlier today. Do you know a good book about the Roman empire?"))[0].Intent);
        Assert.Equal(Parley.Nlu.Intents.OutOfScope.Label, prediction.Best?.Intent);
    }
}
