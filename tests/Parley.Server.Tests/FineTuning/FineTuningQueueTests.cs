#pragma warning disable OPENAI001 // the SDK's fine-tuning API is experimental
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI.Files;
using OpenAI.FineTuning;
using Parley.Core.FineTuning;
using Parley.Server.FineTuning;
using Parley.Storage.Sqlite;

namespace Parley.Server.Tests.FineTuning;

/// <summary>The fine-tuning queue shared by servers on one database: cancellation across servers, and a dead worker's job taken over.</summary>
[Collection(ServerCollection.Name)]
public sealed class FineTuningQueueTests(ServerFixture server) : IAsyncLifetime
{
    private readonly FineTuningHost _host = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Cancel_OnAnotherServerOfTheDatabase_StopsTheTrainingAtItsNextHeartbeat()
    {
        var gate = new GatedEmbeddings(FineTuningHost.Encoder);
        var (_, a) = await _host.StartAsync(gate, ShortLeases);
        OpenAIFile file = await a.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune);
        var created = await a.GetFineTuningClient().FineTuneAsync(FineTuningHost.BaseModel, file.Id, waitUntilCompleted: false);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var (_, b) = await _host.StartAsync(configure: ShortLeases);

        using var cancelled = await FineTuningHost.Http(_host.Apps[1]).PostAsync($"/v1/fine_tuning/jobs/{created.JobId}/cancel", null);
        await gate.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        var job = await b.GetFineTuningClient().GetJobAsync(created.JobId);
        Assert.Equal(FineTuningStatus.Cancelled, job.Status);
        Assert.Null((string?)FineTuningHost.Raw(job)["fine_tuned_model"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(FineTuningQueue.MaxAttempts)] // servers that stopped cleanly and gave the job back do not use up its attempts
    public async Task Start_JobLeasedByAWorkerThatDied_IsTakenOverAndTrainedAgainFromTheBeginning(int givenBackBefore)
    {
        var (first, a) = await _host.StartAsync(configure: ShortLeases);
        OpenAIFile file = await a.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(FineTuningData.ChatJsonl()), "shop.jsonl", FileUploadPurpose.FineTune);
        await first.StopAsync();
        var id = await CreateLeasedJobAsync("gone-host:4242:dead", file.Id, claims: 1, givenBack: givenBackBefore);

        var (_, b) = await _host.StartAsync(configure: ShortLeases);
        var job = await FineTuningHost.WaitAsync(b.GetFineTuningClient(), id);

        Assert.True(job.Status == FineTuningStatus.Succeeded, FineTuningHost.Raw(job).ToJsonString());
        var messages = new List<string>();
        await foreach (var item in job.GetEventsAsync(new GetEventsOptions { PageSize = 100 }))
        {
            messages.Add(item.Message);
        }

        Assert.Contains(messages, m => m.Contains("(gone-host:4242:dead) stopped without finishing it", StringComparison.Ordinal)
            && m.EndsWith($"runs again from the beginning (attempt 2 of {FineTuningQueue.MaxAttempts}).", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_JobWhoseWorkersDiedEveryTime_IsFailedWithTheReasonAfterTheLastAttempt()
    {
        var id = await CreateLeasedJobAsync("gone-host:4242:dead", "file-" + new string('f', 24), claims: FineTuningQueue.MaxAttempts);

        var (_, client) = await _host.StartAsync(configure: ShortLeases);
        var job = await FineTuningHost.WaitAsync(client.GetFineTuningClient(), id, seconds: 30);

        Assert.Equal(FineTuningStatus.Failed, job.Status);
        var error = FineTuningHost.Raw(job)["error"]!;
        Assert.Equal("worker_lost", (string?)error["code"]);
        Assert.Contains("gone-host:4242:dead", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Contains($"started {FineTuningQueue.MaxAttempts} times and never finished", (string)error["message"]!, StringComparison.Ordinal);
    }

    /// <summary>
    /// A running job in the host's database, first claimed and given back <paramref name="givenBack"/> times (servers
    /// that stopped cleanly), then claimed <paramref name="claims"/> times by <paramref name="worker"/>, whose lease has run out.
    /// </summary>
    private async Task<string> CreateLeasedJobAsync(string worker, string trainingFile, int claims, int givenBack = 0)
    {
        using var records = new SqliteFineTuningStore(new SqliteConversationStoreOptions { Path = _host.Database });
        var id = "ftjob-" + new string('d', 24);
        await records.CreateJobAsync(new FineTuningJobRecord
        {
            Id = id,
            Status = "running",
            CreatedAt = 1_764_331_200,
            Data = $$"""
                {"object":"fine_tuning.job","id":"{{id}}","created_at":1764331200,"hyperparameters":{"n_epochs":1},"model":"{{FineTuningHost.BaseModel}}",
                 "status":"running","training_file":"{{trainingFile}}","seed":7,"method":{"type":"supervised"} }
                """,
        });
        for (var i = 0; i < givenBack; i++)
        {
            Assert.NotNull(await records.ClaimNextJobAsync($"stopped-host:{i}:clean", TimeSpan.FromMinutes(1)));
            await records.ReleaseLeaseAsync(id, $"stopped-host:{i}:clean");
        }

        for (var i = 0; i < claims; i++)
        {
            Assert.NotNull(await records.ClaimNextJobAsync(worker, TimeSpan.FromMilliseconds(1)));
            await Task.Delay(5);
        }

        return id;
    }

    private static void ShortLeases(ParleyServerOptions options)
    {
        options.FineTuningLease = TimeSpan.FromSeconds(5);
        options.FineTuningHeartbeat = TimeSpan.FromMilliseconds(100);
        options.FineTuningPollInterval = TimeSpan.FromMilliseconds(100);
    }
}
