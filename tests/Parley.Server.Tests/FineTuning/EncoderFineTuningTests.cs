#pragma warning disable OPENAI001 // the SDK's fine-tuning API is experimental
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using OpenAI.Files;
using OpenAI.FineTuning;
using Parley.Nlu.Torch;
using Parley.Nlu.Training;

namespace Parley.Server.Tests.FineTuning;

/// <summary>Jobs that fine-tune the encoder (<c>parley.method</c>), on a server with Parley.Nlu.Torch registered.</summary>
[Collection(ServerCollection.Name)]
public sealed class EncoderFineTuningTests(ServerFixture server) : IAsyncLifetime
{
    private readonly FineTuningHost _host = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static JsonObject Job(string fileId, JsonObject hyperparameters, JsonNode? parley) => new()
    {
        ["model"] = FineTuningHost.BaseModel,
        ["training_file"] = fileId,
        ["suffix"] = "bank",
        ["seed"] = 7,
        ["method"] = new JsonObject { ["type"] = "supervised", ["supervised"] = new JsonObject { ["hyperparameters"] = hyperparameters } },
        ["parley"] = parley,
    };

    private static async Task<JsonObject> PostAsync(WebApplication app, JsonObject body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await FineTuningHost.Http(app).PostAsJsonAsync("/v1/fine_tuning/jobs", body);
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == expected, json.ToJsonString());
        return json;
    }

    private async Task<(WebApplication App, global::OpenAI.OpenAIClient Client, string FileId)> StartAsync(IEncoderFineTuner? tuner)
    {
        var (app, client) = await _host.StartAsync(services: tuner is null ? null : s => s.AddSingleton(tuner));
        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.IntentJsonl()), "bank.jsonl", FileUploadPurpose.FineTune);
        return (app, client, file.Id);
    }

    [Fact]
    public async Task LoraJob_ThroughTheApi_FineTunesTheEncoderAndItsModelAnswersTheTrainedIntent()
    {
        var (app, client, fileId) = await StartAsync(new TorchEncoderFineTuner());

        var created = await PostAsync(app, Job(fileId, new JsonObject { ["n_epochs"] = 2, ["batch_size"] = 32, ["learning_rate_multiplier"] = "auto" }, new JsonObject { ["method"] = "lora" }));
        Assert.Equal("lora", (string)created["parley"]!["method"]!);

        var fineTuning = client.GetFineTuningClient();
        var job = await FineTuningHost.WaitAsync(fineTuning, (string)created["id"]!, seconds: 180);
        var raw = FineTuningHost.Raw(job);
        Assert.True(job.Status == FineTuningStatus.Succeeded, raw.ToJsonString());
        Assert.Equal("lora", (string)raw["parley"]!["method"]!);
        Assert.Contains("as requested", (string)raw["parley"]!["method_reason"]!);
        // The values used: as asked, and "auto" resolved.
        var used = raw["method"]!["supervised"]!["hyperparameters"]!;
        Assert.Equal(2, (int)used["n_epochs"]!);
        Assert.Equal(32, (int)used["batch_size"]!);
        Assert.Equal(1.0, (double)used["learning_rate_multiplier"]!);
        Assert.Equal(used.ToJsonString(), raw["hyperparameters"]!.ToJsonString());

        var events = new List<FineTuningEvent>();
        await foreach (var item in job.GetEventsAsync(new GetEventsOptions { PageSize = 100 }))
        {
            events.Add(item);
        }

        Assert.Contains(events, e => e.Message.StartsWith("Fine-tuning job started", StringComparison.Ordinal) && e.Message.Contains("the encoder (lora)", StringComparison.Ordinal));
        var epochs = events.Where(e => e.Kind == FineTuningJobEventKind.Metrics).Select(e => JsonNode.Parse(e.Data.ToString())!).OrderBy(d => (int)d["step"]!).ToList();
        Assert.Equal([1, 2], epochs.Select(d => (int)d["epoch"]!));
        Assert.All(epochs, d => Assert.Equal("lora", (string)d["method"]!));
        Assert.All(epochs, d => Assert.NotNull(d["train_loss"]));
        Assert.All(epochs, d => Assert.InRange((double)d["valid_mean_token_accuracy"]!, 0, 1));
        Assert.True((int)epochs[1]["step"]! > (int)epochs[0]["step"]!);
        Assert.Contains(events, e => e.Message.StartsWith("Encoder fine-tuned (lora)", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Message.Contains("successfully completed", StringComparison.Ordinal));

        // The model folder holds the exported encoder; the work folder is gone.
        var jobFolder = Path.Combine(_host.Folder, "jobs", job.JobId);
        Assert.True(File.Exists(Path.Combine(jobFolder, "model", "intent", "encoder.onnx")));
        Assert.False(Directory.Exists(Path.Combine(jobFolder, "encoder-training")));

        var model = (string)raw["fine_tuned_model"]!;
        ChatCompletion completion = await client.GetChatClient(model).CompleteChatAsync([new UserChatMessage("somebody stole my bank card")]);
        Assert.Equal("lost_card", completion.Content[0].Text);
    }

    [Fact]
    public async Task CreateJob_BadParleyMethod_Is400NamingTheField()
    {
        var (app, _, fileId) = await StartAsync(new TorchEncoderFineTuner());
        JsonObject Auto() => new() { ["n_epochs"] = "auto" };

        var unknown = await PostAsync(app, Job(fileId, Auto(), new JsonObject { ["method"] = "qlora" }), HttpStatusCode.BadRequest);
        Assert.Equal("parley.method", (string)unknown["error"]!["param"]!);
        Assert.Contains("auto, head, full, lora, contrastive", (string)unknown["error"]!["message"]!);

        var number = await PostAsync(app, Job(fileId, Auto(), new JsonObject { ["method"] = 3 }), HttpStatusCode.BadRequest);
        Assert.Equal("parley.method", (string)number["error"]!["param"]!);

        var otherKey = await PostAsync(app, Job(fileId, Auto(), new JsonObject { ["encoder"] = "lora" }), HttpStatusCode.BadRequest);
        Assert.Equal("parley.encoder", (string)otherKey["error"]!["param"]!);

        var notObject = await PostAsync(app, Job(fileId, Auto(), JsonValue.Create("lora")), HttpStatusCode.BadRequest);
        Assert.Equal("parley", (string)notObject["error"]!["param"]!);
    }

    [Fact]
    public async Task CreateJob_EncoderMethodOnAServerWithoutFineTuning_Is400AndHeadStillTrains()
    {
        var (app, client, fileId) = await StartAsync(tuner: null);

        var refused = await PostAsync(app, Job(fileId, new JsonObject(), new JsonObject { ["method"] = "full" }), HttpStatusCode.BadRequest);
        Assert.Equal("parley.method", (string)refused["error"]!["param"]!);
        Assert.Contains("cannot fine-tune the encoder", (string)refused["error"]!["message"]!);

        var head = await PostAsync(app, Job(fileId, new JsonObject { ["n_epochs"] = 30 }, new JsonObject { ["method"] = "head" }));
        var job = FineTuningHost.Raw(await FineTuningHost.WaitAsync(client.GetFineTuningClient(), (string)head["id"]!));
        Assert.Equal("succeeded", (string)job["status"]!);
        Assert.Equal("head", (string)job["parley"]!["method"]!);
    }

    [Fact]
    public async Task Job_FineTunerFails_FailsWithItsMessageAndLeavesNoWorkFolder()
    {
        var (app, client, fileId) = await StartAsync(new FailingFineTuner());

        var created = await PostAsync(app, Job(fileId, new JsonObject(), new JsonObject { ["method"] = "lora" }));
        var job = FineTuningHost.Raw(await FineTuningHost.WaitAsync(client.GetFineTuningClient(), (string)created["id"]!));

        Assert.Equal("failed", (string)job["status"]!);
        Assert.Equal("encoder_fine_tuning_failed", (string)job["error"]!["code"]!);
        Assert.Contains("needs libtorch, which did not load", (string)job["error"]!["message"]!);
        Assert.False(Directory.Exists(Path.Combine(_host.Folder, "jobs", (string)created["id"]!, "encoder-training")));
        Assert.False(Directory.Exists(Path.Combine(_host.Folder, "jobs", (string)created["id"]!, "model")));
    }

    [Fact]
    public async Task Cancel_WhileTheEncoderTrains_StopsTrainingAtTheNextStep()
    {
        var tuner = new ObservedFineTuner();
        var (app, client, fileId) = await StartAsync(tuner);
        var created = await PostAsync(app, Job(fileId, new JsonObject { ["n_epochs"] = 50, ["batch_size"] = 1 }, new JsonObject { ["method"] = "full" }));
        var id = (string)created["id"]!;

        var stepAtCancel = await tuner.FirstStep.Task.WaitAsync(TimeSpan.FromSeconds(120));
        using var cancel = await FineTuningHost.Http(app).PostAsync($"/v1/fine_tuning/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tuner.Finished.Task.WaitAsync(TimeSpan.FromSeconds(120)));
        // Measured from when the job's token was cancelled, not from the HTTP call, which a busy machine can take
        // several steps to get through.
        Assert.InRange(tuner.StepAtCancellation, stepAtCancel, int.MaxValue);
        Assert.InRange(tuner.LastStep, tuner.StepAtCancellation, tuner.StepAtCancellation + 2);
        Assert.True(tuner.TotalSteps > 1000, $"{tuner.TotalSteps} steps were planned");
        var job = FineTuningHost.Raw(await client.GetFineTuningClient().GetJobAsync(id));
        Assert.Equal("cancelled", (string)job["status"]!);
        Assert.False(Directory.Exists(Path.Combine(_host.Folder, "jobs", id, "model")));
        Assert.False(Directory.Exists(Path.Combine(_host.Folder, "jobs", id, "encoder-training")));
    }

    /// <summary><see cref="TorchEncoderFineTuner"/>, watched: the first step, the last step, and how the run ended.</summary>
    private sealed class ObservedFineTuner : IEncoderFineTuner
    {
        private readonly TorchEncoderFineTuner _inner = new();

        public TaskCompletionSource<int> FirstStep { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int LastStep { get; private set; }

        public int TotalSteps { get; private set; }

        /// <summary>The last step reported when the job's token was cancelled (-1 until then).</summary>
        public int StepAtCancellation { get; private set; } = -1;

        public int DefaultEpochs => _inner.DefaultEpochs;

        public int DefaultBatchSize => _inner.DefaultBatchSize;

        public async Task<EncoderFineTuning> TrainAsync(EncoderFineTuningRequest request, CancellationToken cancellationToken = default)
        {
            var progress = new Parley.Core.SynchronousProgress<EncoderTrainingProgress>(p =>
            {
                request.Progress?.Report(p);
                LastStep = p.Step;
                TotalSteps = p.TotalSteps;
                FirstStep.TrySetResult(p.Step);
            });
            using var registration = cancellationToken.Register(() => StepAtCancellation = LastStep);
            try
            {
                var result = await _inner.TrainAsync(new EncoderFineTuningRequest
                {
                    Method = request.Method, Training = request.Training, Validation = request.Validation, WorkFolder = request.WorkFolder,
                    Epochs = request.Epochs, BatchSize = request.BatchSize, LearningRateMultiplier = request.LearningRateMultiplier, Seed = request.Seed,
                    HeadOptions = request.HeadOptions, HeadProgress = request.HeadProgress, Progress = progress,
                }, cancellationToken);
                Finished.TrySetResult();
                return result;
            }
            catch (Exception e)
            {
                Finished.TrySetException(e);
                throw;
            }
        }
    }

    /// <summary>Fails as <see cref="TorchEncoderFineTuner"/> does when libtorch does not load (Parley.Nlu.Torch.Tests checks that message), after making its work folder.</summary>
    private sealed class FailingFineTuner : IEncoderFineTuner
    {
        public int DefaultEpochs => 5;

        public int DefaultBatchSize => 32;

        public Task<EncoderFineTuning> TrainAsync(EncoderFineTuningRequest request, CancellationToken cancellationToken = default)
        {
            Directory.CreateDirectory(request.WorkFolder);
            throw new EncoderFineTuningException("fine-tuning the encoder needs libtorch, which did not load: libLibTorchSharp.so: cannot open shared object file");
        }
    }
}
