#pragma warning disable OPENAI001 // the SDK's fine-tuning API is experimental
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI.Files;
using OpenAI.FineTuning;
using Parley.Core.FineTuning;
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

    [Fact]
    public async Task Start_JobLeasedByAWorkerThatDied_IsTakenOverAndFailedWithTheReason()
    {
        using (var records = new SqliteFineTuningStore(new SqliteConversationStoreOptions { Path = _host.Database }))
        {
            var id = "ftjob-" + new string('d', 24);
            await records.CreateJobAsync(new FineTuningJobRecord
            {
                Id = id,
                Status = "running",
                CreatedAt = 1_764_331_200,
                Data = $$"""
                    {"object":"fine_tuning.job","id":"{{id}}","created_at":1764331200,"hyperparameters":{"n_epochs":1},"model":"{{FineTuningHost.BaseModel}}",
                     "status":"running","training_file":"file-{{new string('f', 24)}}","seed":7,"method":{"type":"supervised"} }
                    """,
            });
            Assert.NotNull(await records.ClaimNextJobAsync("gone-host:4242:dead", TimeSpan.FromMilliseconds(1)));
        }

        var (_, client) = await _host.StartAsync(configure: ShortLeases);
        var job = await FineTuningHost.WaitAsync(client.GetFineTuningClient(), "ftjob-" + new string('d', 24), seconds: 30);

        Assert.Equal(FineTuningStatus.Failed, job.Status);
        var error = FineTuningHost.Raw(job)["error"]!;
        Assert.Equal("worker_lost", (string?)error["code"]);
        Assert.Contains("gone-host:4242:dead", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Contains("create it again", (string)error["message"]!, StringComparison.Ordinal);
    }

    private static void ShortLeases(ParleyServerOptions options)
    {
        options.FineTuningLease = TimeSpan.FromSeconds(5);
        options.FineTuningHeartbeat = TimeSpan.FromMilliseconds(100);
        options.FineTuningPollInterval = TimeSpan.FromMilliseconds(100);
    }
}
