using Microsoft.Extensions.AI;
using Parley.Nlu.Features;
using Parley.Nlu.FineTuning;
using Parley.Nlu.Intents;
using Parley.Nlu.Tests.Data;

namespace Parley.Nlu.Tests.FineTuning;

public sealed class ChatResponseModelTests
{
    private const string Hours = "We open at 9am and close at 6pm.";
    private const string Refund = "Returns are free within 30 days.";
    private const string Payment = "We take all major cards and PayPal.";

    private static readonly KeywordEmbeddings Embeddings = new();

    // Small batches and a larger step, so 30 examples train to confident predictions.
    private static readonly FineTuningHyperparameters Confident = new() { Epochs = 40, BatchSize = 4, LearningRateMultiplier = 5 };

    private static FineTuningData Data(FineTuningDataKind kind, Func<int, string> label) => new(kind,
    [
        .. new[] { "when do you open", "opening hours", "what time do you close", "hours please", "are you open", "open hours time", "close time", "what are your hours", "open or close", "time to open" }
            .Select(t => new LabeledExample(t, label(0))),
        .. new[] { "I want a refund", "can I return this", "send it back", "money back please", "refund my money", "return policy", "how do returns work", "give me a refund", "bring it back", "return and refund" }
            .Select(t => new LabeledExample(t, label(1))),
        .. new[] { "can I pay by card", "do you take paypal", "visa accepted", "how do I pay", "pay with card", "card or paypal", "pay by visa", "paypal please", "which card", "pay now" }
            .Select(t => new LabeledExample(t, label(2))),
    ], Tokens: 100);

    // 22 items, so the calibration (reject 5% of in-scope validation items) rejects the least confident one, the ambiguous first item.
    private static FineTuningData Validation(FineTuningDataKind kind, Func<int, string> label) => new(kind,
    [
        new LabeledExample("open card", label(0)),
        .. new[] { "open", "hours", "close", "time", "open time", "close hours", "hours time" }.Select(t => new LabeledExample(t, label(0))),
        .. new[] { "refund", "return", "back", "money", "refund money", "return back", "money back" }.Select(t => new LabeledExample(t, label(1))),
        .. new[] { "pay", "card", "paypal", "visa", "pay card", "visa card", "paypal pay" }.Select(t => new LabeledExample(t, label(2))),
    ], Tokens: 20);

    private static Task<ChatResponseModel> TrainChatAsync()
    {
        static string Reply(int i) => new[] { Hours, Refund, Payment }[i];
        return ChatResponseModelTrainer.TrainAsync(
            new EmbeddingFeaturizer(Embeddings), Data(FineTuningDataKind.Chat, Reply), Validation(FineTuningDataKind.Chat, Reply), Confident, "Sorry, no idea.");
    }

    [Fact]
    public async Task GetResponseAsync_InScopeQuestion_AnswersTheLearnedReply()
    {
        using var model = await TrainChatAsync();

        var response = await model.GetResponseAsync([new ChatMessage(ChatRole.User, "hi"), new ChatMessage(ChatRole.User, "could I get my money back")]);

        Assert.Equal(Refund, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("reply-002", response.AdditionalProperties![ChatResponseModel.LabelProperty]);
        Assert.True(response.Usage!.OutputTokenCount > 3);
        Assert.Equal(["reply-001", "reply-002", "reply-003"], model.Manifest.Replies.Keys.Order());
    }

    [Fact]
    public async Task GetResponseAsync_OutOfScopeQuestion_AnswersTheFallback()
    {
        using var model = await TrainChatAsync();

        var response = await model.GetResponseAsync([new ChatMessage(ChatRole.User, "tell me a joke about penguins")]);

        Assert.Equal("Sorry, no idea.", response.Text);
        Assert.Equal(OutOfScope.Label, response.AdditionalProperties![ChatResponseModel.LabelProperty]);
    }

    [Fact]
    public async Task GetResponseAsync_MaxOutputTokens_CutsTheReplyWithLength()
    {
        using var model = await TrainChatAsync();

        var response = await model.GetResponseAsync([new ChatMessage(ChatRole.User, "do you take visa")], new ChatOptions { MaxOutputTokens = 2 });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("We take", response.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Reply_ComesInPiecesEndingWithStopAndUsage()
    {
        using var model = await TrainChatAsync();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in model.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "what time do you open")]))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count > 1);
        var response = updates.ToChatResponse();
        Assert.Equal(Hours, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotNull(response.Usage);
    }

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_AnswersTheSame()
    {
        using var folder = new TempFolder();
        using var model = await TrainChatAsync();
        var path = Path.Combine(folder.Path, "model");

        await model.SaveAsync(path);
        await model.SaveAsync(path);
        using var loaded = await ChatResponseModel.LoadAsync(path, Embeddings);

        Assert.Equal(["model"], Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(path, ChatResponseManifest.FileName)));
        Assert.Equal(model.Manifest.Replies, loaded.Manifest.Replies);
        Assert.Equal("Sorry, no idea.", loaded.FallbackReply);
        foreach (var question in new[] { "return it please", "pay with paypal", "close time", "penguins" })
        {
            Assert.Equal((await model.SelectAsync([new ChatMessage(ChatRole.User, question)])).Reply, (await loaded.SelectAsync([new ChatMessage(ChatRole.User, question)])).Reply);
        }
    }

    [Fact]
    public async Task LoadAsync_FolderWithoutReplies_ThrowsModelFormatException()
    {
        using var folder = new TempFolder();

        await Assert.ThrowsAsync<Parley.Nlu.Models.ModelFormatException>(() => ChatResponseModel.LoadAsync(folder.Path, Embeddings));
    }

    [Fact]
    public async Task TrainAsync_IntentData_AnswersTheIntentNameOrOos()
    {
        static string Intent(int i) => new[] { "hours", "refund", "payment" }[i];
        using var model = await ChatResponseModelTrainer.TrainAsync(
            new EmbeddingFeaturizer(Embeddings), Data(FineTuningDataKind.Intents, Intent), Validation(FineTuningDataKind.Intents, Intent), Confident);

        Assert.Equal("payment", (await model.GetResponseAsync([new ChatMessage(ChatRole.User, "card payment")])).Text);
        Assert.Equal(OutOfScope.Label, (await model.GetResponseAsync([new ChatMessage(ChatRole.User, "penguins")])).Text);
        Assert.Empty(model.Manifest.Replies);
    }

    [Fact]
    public async Task TrainAsync_ValidationOfAnotherKind_Throws()
    {
        var featurizer = new EmbeddingFeaturizer(Embeddings);

        await Assert.ThrowsAsync<ArgumentException>(() => ChatResponseModelTrainer.TrainAsync(
            featurizer, Data(FineTuningDataKind.Chat, i => "r" + i), Data(FineTuningDataKind.Intents, i => "i" + i)));
    }

    [Fact]
    public void ToTrainerOptions_GivenValues_OverrideDefaultsAndTurnOffEarlyStopping()
    {
        var auto = new FineTuningHyperparameters().ToTrainerOptions();
        var given = new FineTuningHyperparameters { Epochs = 7, BatchSize = 4, LearningRateMultiplier = 0.5, Seed = 3 }.ToTrainerOptions();

        Assert.Equal((50, 5, 32, 0.01), (auto.Epochs, auto.Patience, auto.BatchSize, auto.LearningRate));
        Assert.Equal((7, 0, 4, 0.005, 3), (given.Epochs, given.Patience, given.BatchSize, given.LearningRate, given.Seed));
    }
}
