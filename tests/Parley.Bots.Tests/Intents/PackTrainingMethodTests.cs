using Microsoft.Extensions.AI;
using Parley.Bots.Intents;
using Parley.Bots.Packs;
using Parley.Nlu.Features;
using Parley.Nlu.Models;
using Parley.Nlu.Training;

namespace Parley.Bots.Tests.Intents;

/// <summary>A pack's <c>method</c>: an encoder method goes to the host's fine-tuner, and the model records it.</summary>
public sealed class PackTrainingMethodTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-method-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Fails the test if the frozen sentence encoder is asked for features.</summary>
    private sealed class NoEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the frozen encoder was used");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Records the requests and trains a head on character n-grams (no libtorch in this test project).</summary>
    private sealed class RecordingFineTuner : IEncoderFineTuner
    {
        public List<EncoderFineTuningRequest> Requests { get; } = [];

        public int DefaultEpochs => 5;

        public int DefaultBatchSize => 32;

        public async Task<EncoderFineTuning> TrainAsync(EncoderFineTuningRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            Directory.CreateDirectory(request.WorkFolder);
            var model = await IntentModelTrainer.TrainAsync(
                new CharNGramFeaturizer(new FeaturizerSettings { Kind = FeaturizerSettings.CharNGrams }), request.Training, request.Validation, request.HeadOptions, request.HeadProgress, cancellationToken);
            return new EncoderFineTuning
            {
                Model = model, Method = request.Method, Epochs = 5, BatchSize = 32, LearningRateMultiplier = 1, LearningRate = 1e-3,
                EpochsRun = 2, BestEpoch = 2, Steps = 4, TrainableParameters = 10, TotalParameters = 100,
            };
        }
    }

    private static BotPack Pack(string method) => new(
        Path.GetTempPath(),
        new BotManifest { Name = "tiny", Method = method, MethodLocation = "/packs/tiny/bot.yaml:4" },
        [
            new IntentDefinition { Name = "hours", Examples = ["when do you open", "what are your opening hours", "are you open on sunday", "what time do you close"] },
            new IntentDefinition { Name = "returns", Examples = ["how do I return an item", "can I get a refund", "I want to send this back", "what is the return policy"] },
        ]);

    [Fact]
    public async Task LoadOrTrainAsync_LoraPack_FineTunesWithThatMethodAndTheModelRecordsIt()
    {
        var tuner = new RecordingFineTuner();

        var model = await PackIntentModels.LoadOrTrainAsync(Pack("lora"), new NoEmbeddings(), _folder, encoderFineTuner: tuner);

        var request = Assert.Single(tuner.Requests);
        Assert.Equal("lora", request.Method);
        Assert.Contains(request.Training, e => e.Text == "can I get a refund" && e.Intent == "returns");
        Assert.False(Directory.Exists(request.WorkFolder), "the work folder is removed once the model is saved");
        Assert.Equal("lora", model!.Manifest.Method);
        Assert.Contains("as requested", model.Manifest.MethodReason);
        var saved = Assert.Single(Directory.GetDirectories(_folder));
        Assert.Equal("lora", (await IntentModel.LoadAsync(saved, s => FeaturizerFactory.Create(s, null))).Manifest.Method);

        // The same examples and method: loaded, not trained again; another method is another model.
        await PackIntentModels.LoadOrTrainAsync(Pack("lora"), new NoEmbeddings(), _folder, encoderFineTuner: tuner);
        Assert.Single(tuner.Requests);
        await PackIntentModels.LoadOrTrainAsync(Pack("full"), new NoEmbeddings(), _folder, encoderFineTuner: tuner);
        Assert.Equal(["lora", "full"], tuner.Requests.Select(r => r.Method));
        Assert.NotEqual(saved, Assert.Single(Directory.GetDirectories(_folder)));
    }

    [Fact]
    public async Task LoadOrTrainAsync_EncoderMethodWithoutAFineTuner_IsAnErrorAtTheMethodLine()
    {
        var e = await Assert.ThrowsAsync<BotPackException>(() => PackIntentModels.LoadOrTrainAsync(Pack("contrastive"), new NoEmbeddings(), _folder));

        Assert.Equal("/packs/tiny/bot.yaml", e.File);
        Assert.Equal(4, e.Line);
        Assert.Contains("method 'contrastive' fine-tunes the sentence encoder", e.Message);
    }

    [Fact]
    public async Task LoadOrTrainAsync_FineTuningRefusesTheData_IsAnErrorAtTheMethodLine()
    {
        var e = await Assert.ThrowsAsync<BotPackException>(() => PackIntentModels.LoadOrTrainAsync(
            Pack("full"), new NoEmbeddings(), _folder, encoderFineTuner: new RefusingFineTuner()));

        Assert.Equal(4, e.Line);
        Assert.Contains("libtorch did not load", e.Message);
        Assert.Empty(Directory.GetDirectories(_folder));
    }

    private sealed class RefusingFineTuner : IEncoderFineTuner
    {
        public int DefaultEpochs => 5;

        public int DefaultBatchSize => 32;

        public Task<EncoderFineTuning> TrainAsync(EncoderFineTuningRequest request, CancellationToken cancellationToken = default)
        {
            Directory.CreateDirectory(request.WorkFolder);
            throw new EncoderFineTuningException("libtorch did not load");
        }
    }
}
