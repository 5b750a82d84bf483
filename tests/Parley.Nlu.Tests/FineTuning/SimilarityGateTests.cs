using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;
using Parley.Nlu.Features;
using Parley.Nlu.FineTuning;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Tests.FineTuning;

/// <summary>
/// The similarity gate of response-selection models on the real encoder: a small chat data set (too small to calibrate
/// the head's out-of-scope threshold) still answers unrelated questions with the fallback reply once loaded.
/// </summary>
public sealed class SimilarityGateTests : IDisposable
{
    private const string Hours = "We're open Monday to Saturday, 9am to 6pm, and closed on Sundays.";
    private const string Returns = "You can return any item within 30 days for a full refund; start a return from your orders page.";
    private const string Payment = "We accept Visa, Mastercard, American Express, PayPal and Apple Pay.";

    private static readonly MiniLmEmbeddingGenerator Encoder = new();

    private static readonly (string Reply, string[] Questions)[] Training =
    [
        (Hours, ["What are your opening hours?", "When do you open?", "Are you open on Sunday?", "What time does the store close?", "Opening times please", "Is the shop open on weekends?"]),
        (Returns, ["How do I return an item?", "Can I get a refund?", "I want to send my order back", "What is your return policy?", "The shoes don't fit, can I return them?", "how do refunds work"]),
        (Payment, ["Which payment methods do you accept?", "Can I pay with PayPal?", "Do you take credit cards?", "Is Apple Pay supported?", "how can I pay for my order", "what cards do you accept"]),
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "parley-gate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("What will the weather be like in Paris tomorrow?")]
    [InlineData("Can you recommend a good pasta recipe?")]
    [InlineData("Who won the football match last night?")]
    [InlineData("Write me a poem about the sea")]
    public async Task Loaded_UnrelatedQuestion_GetsTheFallbackReply(string question)
    {
        using var model = await TrainAndLoadAsync();

        var response = await model.GetResponseAsync([new ChatMessage(ChatRole.User, question)]);

        Assert.Equal(ChatResponseModel.DefaultFallbackReply, response.Text);
        Assert.Equal(OutOfScope.Label, response.AdditionalProperties![ChatResponseModel.LabelProperty]);
    }

    [Theory]
    [InlineData("what time do you shut on saturdays?", Hours)]
    [InlineData("which cards can I pay with?", Payment)]
    [InlineData("how do I send back a jacket that doesn't fit?", Returns)]
    [InlineData("are you open tomorrow morning?", Hours)]
    public async Task Loaded_InScopeParaphrase_GetsItsReply(string question, string reply)
    {
        using var model = await TrainAndLoadAsync();

        var response = await model.GetResponseAsync([new ChatMessage(ChatRole.User, question)]);

        Assert.Equal(reply, response.Text);
    }

    [Fact]
    public async Task Trained_Manifest_KeepsTheInputsForTheGate()
    {
        using var model = await TrainAsync();

        Assert.Equal(18, model.Manifest.Inputs!.Count);
        Assert.Equal(ChatResponseModel.DefaultMinSimilarity, model.Manifest.MinSimilarity);
    }

    private static async Task<ChatResponseModel> TrainAsync()
    {
        var data = new FineTuningData(
            FineTuningDataKind.Chat,
            [.. Training.SelectMany(t => t.Questions.Select(q => new LabeledExample(q, t.Reply)))],
            Tokens: 300);
        return await ChatResponseModelTrainer.TrainAsync(new EmbeddingFeaturizer(Encoder), data, hyperparameters: new FineTuningHyperparameters { Seed = 7 });
    }

    private async Task<ChatResponseModel> TrainAndLoadAsync()
    {
        using (var trained = await TrainAsync())
        {
            await trained.SaveAsync(_folder);
        }

        return await ChatResponseModel.LoadAsync(_folder, Encoder);
    }
}
