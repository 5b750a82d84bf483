#pragma warning disable OPENAI001 // the SDK's fine-tuning API is experimental
using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using OpenAI.Files;
using OpenAI.FineTuning;

namespace Parley.Server.Tests.FineTuning;

[Collection(ServerCollection.Name)]
public sealed class FineTuningApiTests(ServerFixture server) : IAsyncLifetime
{
    private readonly FineTuningHost _host = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ChatData_UploadTrainAndChat_AnswersUnseenQuestionWithLearnedReply()
    {
        var (_, client) = await _host.StartAsync();
        var files = client.GetOpenAIFileClient();
        var fineTuning = client.GetFineTuningClient();

        OpenAIFile file = await files.UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune);
        Assert.StartsWith("file-", file.Id, StringComparison.Ordinal);
        Assert.Equal("shop.jsonl", file.Filename);

        var created = await fineTuning.FineTuneAsync(FineTuningHost.BaseModel, file.Id, waitUntilCompleted: false, new FineTuningOptions { Suffix = "shop", Seed = 7 });
        Assert.StartsWith("ftjob-", created.JobId, StringComparison.Ordinal);
        Assert.Equal(FineTuningStatus.ValidatingFiles, created.Status);

        var job = await FineTuningHost.WaitAsync(fineTuning, created.JobId);
        var raw = FineTuningHost.Raw(job);
        Assert.True(job.Status == FineTuningStatus.Succeeded, raw.ToJsonString());
        var model = (string)raw["fine_tuned_model"]!;
        Assert.Equal($"ft:{FineTuningHost.BaseModel}:shop:{job.JobId}", model);
        Assert.Equal(model, job.Value);
        Assert.Equal(7, job.Seed);
        Assert.True((long)raw["trained_tokens"]! > 0, raw.ToJsonString());
        Assert.NotNull(raw["finished_at"]?.GetValue<long>());

        var events = new List<FineTuningEvent>();
        await foreach (var item in job.GetEventsAsync(new GetEventsOptions { PageSize = 3 }))
        {
            events.Add(item);
        }

        Assert.Contains(events, e => e.Kind == FineTuningJobEventKind.Metrics && e.Data is not null);
        Assert.Contains(events, e => e.Message.Contains("successfully completed", StringComparison.Ordinal));
        Assert.Contains("Created fine-tuning job", events[^1].Message, StringComparison.Ordinal);
        // 5 validation examples are too few on their own, but out-of-fold predictions of the training data calibrate the
        // threshold (issue 11), so the "too few validation examples" warning of an uncalibrated model is not given.
        Assert.DoesNotContain(events, e => e.Message.StartsWith("Too few validation examples", StringComparison.Ordinal));
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());

        var checkpoints = new List<FineTuningCheckpoint>();
        await foreach (var checkpoint in job.GetCheckpointsAsync())
        {
            checkpoints.Add(checkpoint);
        }

        Assert.Equal(events.Count(e => e.Kind == FineTuningJobEventKind.Metrics), checkpoints.Count);
        Assert.All(checkpoints, c => Assert.NotNull(c.Metrics.TrainLoss));
        Assert.All(checkpoints, c => Assert.NotNull(c.Metrics.ValidLoss));
        Assert.True(checkpoints[0].StepNumber > checkpoints[^1].StepNumber, "checkpoints are listed newest first");
        Assert.StartsWith(model + ":ckpt-step-", checkpoints[0].ModelId, StringComparison.Ordinal);

        var models = (await client.GetOpenAIModelClient().GetModelsAsync()).Value;
        Assert.Contains(models, m => m.Id == model && m.OwnedBy == "parley");
        Assert.Equal(model, (await client.GetOpenAIModelClient().GetModelAsync(model)).Value.Id);

        var chat = client.GetChatClient(model);
        ChatCompletion completion = await chat.CompleteChatAsync([new SystemChatMessage("You help shoppers."), new UserChatMessage("what time do you shut on saturdays?")]);
        Assert.Equal(FineTuningData.Hours, completion.Content[0].Text);
        Assert.Equal(global::OpenAI.Chat.ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.OutputTokenCount > 5);

        var streamed = new System.Text.StringBuilder();
        var pieces = 0;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("how many days until my package gets to me?")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
                pieces++;
            }
        }

        Assert.Equal(FineTuningData.Shipping, streamed.ToString());
        Assert.True(pieces > 1, "the reply is streamed in pieces");

        ChatCompletion cut = await chat.CompleteChatAsync([new UserChatMessage("which cards can I pay with?")], new ChatCompletionOptions { MaxOutputTokenCount = 3 });
        Assert.Equal(global::OpenAI.Chat.ChatFinishReason.Length, cut.FinishReason);
        Assert.StartsWith(cut.Content[0].Text, FineTuningData.Payment, StringComparison.Ordinal);

        var json = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync(
            [new UserChatMessage("which cards can I pay with?")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() }));
        Assert.Equal(400, json.Status);
        Assert.Contains("does not support response_format 'json_object'", json.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntentData_TrainAndChat_AnswersIntentName()
    {
        var (_, client) = await _host.StartAsync();
        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.IntentJsonl()), "bank.jsonl", FileUploadPurpose.FineTune);
        var fineTuning = client.GetFineTuningClient();

        var created = await fineTuning.FineTuneAsync(FineTuningHost.BaseModel, file.Id, waitUntilCompleted: false, new FineTuningOptions
        {
            TrainingMethod = FineTuningTrainingMethod.CreateSupervised(epochCount: 30, batchSize: 8, learningRate: 2.0),
        });
        var job = await FineTuningHost.WaitAsync(fineTuning, created.JobId);

        var raw = FineTuningHost.Raw(job);
        Assert.True(job.Status == FineTuningStatus.Succeeded, raw.ToJsonString());
        Assert.Equal($"ft:{FineTuningHost.BaseModel}::{job.JobId}", (string)raw["fine_tuned_model"]!);
        Assert.Equal(30, (int)raw["hyperparameters"]!["n_epochs"]!);
        Assert.Equal(8, (int)raw["hyperparameters"]!["batch_size"]!);
        Assert.Equal(2.0, (double)raw["hyperparameters"]!["learning_rate_multiplier"]!);
        var checkpoints = new List<FineTuningCheckpoint>();
        await foreach (var checkpoint in job.GetCheckpointsAsync(new GetCheckpointsOptions { PageSize = 100 }))
        {
            checkpoints.Add(checkpoint);
        }

        Assert.Equal(30, checkpoints.Count);

        ChatCompletion completion = await client.GetChatClient((string)raw["fine_tuned_model"]!).CompleteChatAsync([new UserChatMessage("somebody stole my visa card")]);
        Assert.Equal("lost_card", completion.Content[0].Text);

        var models = client.GetOpenAIModelClient();
        Assert.True((await models.DeleteModelAsync(job.Value)).Value.Deleted);
        Assert.DoesNotContain((await models.GetModelsAsync()).Value, m => m.Id == job.Value);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => client.GetChatClient(job.Value).CompleteChatAsync([new UserChatMessage("hi")]))).Status);
        Assert.Equal(FineTuningStatus.Succeeded, (await fineTuning.GetJobAsync(job.JobId)).Status);
    }

    [Fact]
    public async Task CancelJob_WhileTraining_StopsPromptlyAsCancelled()
    {
        var gate = new GatedEmbeddings(FineTuningHost.Encoder);
        var (_, client) = await _host.StartAsync(gate);
        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune);
        var fineTuning = client.GetFineTuningClient();
        var created = await fineTuning.FineTuneAsync(FineTuningHost.BaseModel, file.Id, waitUntilCompleted: false);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(FineTuningStatus.Running, (await fineTuning.GetJobAsync(created.JobId)).Status);

        var started = DateTime.UtcNow;
        await created.CancelAndUpdateAsync();
        await gate.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal(FineTuningStatus.Cancelled, created.Status);
        var job = await fineTuning.GetJobAsync(created.JobId);
        Assert.Equal(FineTuningStatus.Cancelled, job.Status);
        Assert.Null((string?)FineTuningHost.Raw(job)["fine_tuned_model"]);
        var events = new List<FineTuningEvent>();
        await foreach (var item in job.GetEventsAsync(new GetEventsOptions()))
        {
            events.Add(item);
        }

        Assert.Contains(events, e => e.Message == "Fine-tuning job cancelled");
    }

    [Fact]
    public async Task Restart_DuringTraining_JobRunsAgainAndSucceedsOnNewHost()
    {
        var gate = new GatedEmbeddings(FineTuningHost.Encoder);
        var (first, client) = await _host.StartAsync(gate);
        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune);
        var created = await client.GetFineTuningClient().FineTuneAsync(FineTuningHost.BaseModel, file.Id, waitUntilCompleted: false, new FineTuningOptions { Suffix = "again" });
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await first.StopAsync();

        var (_, second) = await _host.StartAsync();
        var fineTuning = second.GetFineTuningClient();
        var job = await FineTuningHost.WaitAsync(fineTuning, created.JobId);

        Assert.True(job.Status == FineTuningStatus.Succeeded, FineTuningHost.Raw(job).ToJsonString());
        var messages = new List<string>();
        await foreach (var item in job.GetEventsAsync(new GetEventsOptions { PageSize = 100 }))
        {
            messages.Add(item.Message);
        }

        Assert.Contains(messages, m => m.StartsWith("The server restarted while the job was running", StringComparison.Ordinal));
        ChatCompletion completion = await second.GetChatClient((string)FineTuningHost.Raw(job)["fine_tuned_model"]!).CompleteChatAsync([new UserChatMessage("can I send these trousers back for a refund?")]);
        Assert.Equal(FineTuningData.Returns, completion.Content[0].Text);
    }

    [Fact]
    public async Task Restart_TrainingFileDeletedMeanwhile_FailsWithTheReason()
    {
        var gate = new GatedEmbeddings(FineTuningHost.Encoder);
        var (first, client) = await _host.StartAsync(gate);
        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune);
        var created = await client.GetFineTuningClient().FineTuneAsync(FineTuningHost.BaseModel, file.Id, waitUntilCompleted: false);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await first.StopAsync();
        File.Delete(Path.Combine(_host.Folder, "files", file.Id + ".jsonl"));

        var (_, second) = await _host.StartAsync();
        var job = await FineTuningHost.WaitAsync(second.GetFineTuningClient(), created.JobId);

        Assert.Equal(FineTuningStatus.Failed, job.Status);
        var error = FineTuningHost.Raw(job)["error"]!;
        Assert.Equal("training_file", (string)error["param"]!);
        Assert.Contains($"the file {file.Id} no longer exists", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidationFile_OfTheSameKind_IsUsedAndOfAnotherKind_FailsTheJob()
    {
        var (_, client) = await _host.StartAsync();
        var files = client.GetOpenAIFileClient();
        var fineTuning = client.GetFineTuningClient();
        var lines = FineTuningData.ChatJsonl().TrimEnd('\n').Split('\n');
        OpenAIFile training = await files.UploadFileAsync(BinaryData.FromString(string.Join('\n', lines.Where((_, i) => i % 3 != 0))), "train.jsonl", FileUploadPurpose.FineTune);
        OpenAIFile validation = await files.UploadFileAsync(BinaryData.FromString(string.Join('\n', lines.Where((_, i) => i % 3 == 0))), "valid.jsonl", FileUploadPurpose.FineTune);
        OpenAIFile intents = await files.UploadFileAsync(BinaryData.FromString(FineTuningData.IntentJsonl()), "intents.jsonl", FileUploadPurpose.FineTune);

        var good = await FineTuningHost.WaitAsync(fineTuning, (await fineTuning.FineTuneAsync(FineTuningHost.BaseModel, training.Id, waitUntilCompleted: false, new FineTuningOptions { ValidationFile = validation.Id })).JobId);
        var bad = await FineTuningHost.WaitAsync(fineTuning, (await fineTuning.FineTuneAsync(FineTuningHost.BaseModel, training.Id, waitUntilCompleted: false, new FineTuningOptions { ValidationFile = intents.Id })).JobId);

        Assert.True(good.Status == FineTuningStatus.Succeeded, FineTuningHost.Raw(good).ToJsonString());
        Assert.Equal(validation.Id, good.ValidationFileId);
        var events = new List<FineTuningEvent>();
        await foreach (var item in good.GetEventsAsync(new GetEventsOptions { PageSize = 100 }))
        {
            events.Add(item);
        }

        Assert.Contains(events, e => e.Message.Contains("validation accuracy=", StringComparison.Ordinal));
        Assert.Equal(FineTuningStatus.Failed, bad.Status);
        Assert.Equal("validation_file", (string)FineTuningHost.Raw(bad)["error"]!["param"]!);
    }

    [Fact]
    public async Task Upload_NotJsonl_IsRejectedNamingTheLine()
    {
        var (_, client) = await _host.StartAsync();
        var lines = FineTuningData.ChatJsonl().Split('\n');
        lines[2] = "{\"messages\": [ oops";

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(string.Join('\n', lines)), "broken.jsonl", FileUploadPurpose.FineTune));

        Assert.Equal(400, error.Status);
        Assert.Contains("line 3 is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Empty((await client.GetOpenAIFileClient().GetFilesAsync()).Value);
    }

    [Theory]
    [InlineData("{\"text\":\"a\\ud800b\",\"label\":\"greet\"}", "lone surrogate")]
    [InlineData("{\"text\":\"hi\",\"text\":\"ho\",\"label\":\"greet\"}", "appears twice")]
    [InlineData("[1, 2]", "is a JSON array, not an object")]
    public async Task Upload_LineJsonWouldRefuseLater_IsRejectedAtUploadNamingTheLine(string badLine, string expected)
    {
        var (app, _) = await _host.StartAsync();
        var lines = FineTuningData.IntentJsonl().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        lines.Insert(4, badLine);

        var (status, message) = await UploadBytesAsync(app, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("line 5 ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_InvalidUtf8FarIntoTheFile_ReportedOnItsRealLine()
    {
        var (app, _) = await _host.StartAsync();
        var lines = Enumerable.Range(0, 3000).Select(i => $"{{\"text\":\"question number {i} about the shop\",\"label\":\"l{i % 3}\"}}").ToList();
        lines[2499] = "{\"text\":\"bad X byte\",\"label\":\"l0\"}";
        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xC3;

        var (status, message) = await UploadBytesAsync(app, bytes);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("line 2500 is not UTF-8 text", message, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Message)> UploadBytesAsync(Microsoft.AspNetCore.Builder.WebApplication app, byte[] content)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("fine-tune"), "purpose" },
            { new ByteArrayContent(content), "file", "data.jsonl" },
        };
        using var response = await FineTuningHost.Http(app).PostAsync("/v1/files", form);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, (string?)body?["error"]?["message"] ?? string.Empty);
    }

    [Fact]
    public async Task Job_ChatFileFailingValidation_FailsNamingTheLine()
    {
        var (_, client) = await _host.StartAsync();
        var lines = FineTuningData.ChatJsonl().TrimEnd('\n').Split('\n');
        lines[11] = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"robot\", \"content\": \"beep\"}]}";
        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(string.Join('\n', lines)), "bad.jsonl", FileUploadPurpose.FineTune);
        var fineTuning = client.GetFineTuningClient();

        var created = await fineTuning.FineTuneAsync(FineTuningHost.BaseModel, file.Id, waitUntilCompleted: false);
        var job = await FineTuningHost.WaitAsync(fineTuning, created.JobId);

        Assert.Equal(FineTuningStatus.Failed, job.Status);
        var error = FineTuningHost.Raw(job)["error"]!;
        Assert.Equal("invalid_training_file", (string)error["code"]!);
        Assert.Equal("training_file", (string)error["param"]!);
        Assert.Contains("bad.jsonl:12:", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Contains("robot", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListJobs_AfterAndLimit_PagesNewestFirst()
    {
        var (app, client) = await _host.StartAsync(new GatedEmbeddings(FineTuningHost.Encoder), o => o.MaxConcurrentFineTuningJobs = 1);
        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune);
        var fineTuning = client.GetFineTuningClient();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await fineTuning.FineTuneAsync(FineTuningHost.BaseModel, file.Id, waitUntilCompleted: false)).JobId);
        }

        ids.Reverse();
        var http = FineTuningHost.Http(app);
        var page1 = (await http.GetFromJsonAsync<JsonObject>("/v1/fine_tuning/jobs?limit=2"))!;
        var page2 = (await http.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs?limit=2&after={(string)page1["data"]![1]!["id"]!}"))!;
        var page3 = (await http.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs?limit=2&after={(string)page2["data"]![1]!["id"]!}"))!;

        Assert.Equal(ids[..2], page1["data"]!.AsArray().Select(j => (string)j!["id"]!));
        Assert.Equal(ids[2..4], page2["data"]!.AsArray().Select(j => (string)j!["id"]!));
        Assert.Equal(ids[4..], page3["data"]!.AsArray().Select(j => (string)j!["id"]!));
        Assert.True((bool)page1["has_more"]!);
        Assert.False((bool)page3["has_more"]!);

        var all = new List<string>();
        await foreach (var job in fineTuning.GetJobsAsync(new FineTuningJobCollectionOptions { PageSize = 2 }))
        {
            all.Add(job.JobId);
        }

        Assert.Equal(ids, all);
        var statuses = new List<FineTuningStatus>();
        foreach (var id in ids)
        {
            statuses.Add((await fineTuning.GetJobAsync(id)).Status);
        }

        Assert.Equal([FineTuningStatus.Running], statuses.Where(s => s == FineTuningStatus.Running));
        Assert.Equal(4, statuses.Count(s => s == FineTuningStatus.ValidatingFiles));
    }

    [Fact]
    public async Task GetJob_Unknown_Is404()
    {
        var (_, client) = await _host.StartAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetFineTuningClient().GetJobAsync("ftjob-AAAAAAAAAAAAAAAAAAAAAAAA"));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task CreateJob_WrongBaseModel_Is400NamingAvailableModels()
    {
        var (_, client) = await _host.StartAsync();
        OpenAIFile file = await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetFineTuningClient().FineTuneAsync("gpt-4o-mini-2024-07-18", file.Id, waitUntilCompleted: false));

        Assert.Equal(400, error.Status);
        Assert.Contains("all-MiniLM-L6-v2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateJob_UnknownTrainingFile_Is400NamingTheParam()
    {
        var (app, _) = await _host.StartAsync();

        using var response = await FineTuningHost.Http(app).PostAsJsonAsync("/v1/fine_tuning/jobs", new JsonObject { ["model"] = FineTuningHost.BaseModel, ["training_file"] = "file-nope" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("training_file", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!);
    }

    [Fact]
    public async Task Upload_OtherPurpose_Is400NamingPurpose()
    {
        var (app, _) = await _host.StartAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("assistants"), "purpose" },
            { new ByteArrayContent("{\"text\":\"hi\",\"intent\":\"greet\"}\n"u8.ToArray()), "file", "a.jsonl" },
        };

        using var response = await FineTuningHost.Http(app).PostAsync("/v1/files", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("purpose", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!);
    }

    [Fact]
    public async Task Upload_OverFineTuningFileLimit_Is413()
    {
        var (_, client) = await _host.StartAsync(configure: o => o.MaxFineTuningFileBytes = 2048);

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune));

        Assert.Equal(413, error.Status);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_host.Folder, "files")));
    }

    [Fact]
    public async Task Files_ListRetrieveContentDelete_RoundTrip()
    {
        var (_, client) = await _host.StartAsync(configure: o => o.MaxRequestBodyBytes = 1024);
        var files = client.GetOpenAIFileClient();
        var content = FineTuningData.ChatJsonl();
        Assert.True(content.Length > 4096, "the file is larger than the chat body limit");

        OpenAIFile file = await files.UploadFileAsync(BinaryData.FromString(content), "shop.jsonl", FileUploadPurpose.FineTune);

        Assert.Equal(content.Length, (await files.GetFileAsync(file.Id)).Value.SizeInBytes);
        Assert.Single((await files.GetFilesAsync(FilePurpose.FineTune)).Value, f => f.Id == file.Id);
        Assert.Equal(content, (await files.DownloadFileAsync(file.Id)).Value.ToString());
        Assert.True((await files.DeleteFileAsync(file.Id)).Value.Deleted);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => files.GetFileAsync(file.Id))).Status);
    }
}
