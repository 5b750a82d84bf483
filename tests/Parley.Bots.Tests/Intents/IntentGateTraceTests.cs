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
}
