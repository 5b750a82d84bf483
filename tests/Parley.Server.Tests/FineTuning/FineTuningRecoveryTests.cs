#pragma warning disable OPENAI001 // the SDK's fine-tuning API is experimental
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests.FineTuning;

/// <summary>A fine-tuning folder damaged by a crash or by hand: the server starts, lists work, and leftovers are cleaned.</summary>
[Collection(ServerCollection.Name)]
public sealed class FineTuningRecoveryTests(ServerFixture server) : IAsyncLifetime
{
    private readonly FineTuningHost _host = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Start_EmptyJobRecord_MarksThatJobFailedAndListsTheOthers()
    {
        var (app, _) = await _host.StartAsync();
        var file = await UploadAsync(app);
        using var created = await FineTuningHost.Http(app).PostAsJsonAsync("/v1/fine_tuning/jobs", new JsonObject { ["model"] = FineTuningHost.BaseModel, ["training_file"] = file, ["hyperparameters"] = new JsonObject { ["n_epochs"] = 1 } });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var goodJob = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await app.StopAsync();
        var damaged = "ftjob-" + new string('a', 24);
        Directory.CreateDirectory(Path.Combine(_host.Folder, "jobs", damaged));
        await File.WriteAllTextAsync(Path.Combine(_host.Folder, "jobs", damaged, "job.json"), string.Empty);

        var (restarted, _) = await _host.StartAsync();
        var list = await FineTuningHost.Http(restarted).GetFromJsonAsync<JsonObject>("/v1/fine_tuning/jobs");
        var job = await FineTuningHost.Http(restarted).GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs/{damaged}");
        using var ready = await FineTuningHost.Http(restarted).GetAsync("/readyz");

        var ids = list!["data"]!.AsArray().Select(j => (string?)j!["id"]).ToList();
        Assert.Contains(goodJob, ids);
        Assert.Contains(damaged, ids);
        Assert.Equal("failed", (string?)job!["status"]);
        Assert.Equal("invalid_job_record", (string?)job["error"]!["code"]);
        Assert.True(File.Exists(Path.Combine(_host.Folder, "jobs", damaged, "job.json.bad")));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Start_RecordsOfAnOlderDataFolderOnDisk_AreMovedIntoTheDatabaseAndUnfinishedJobsRunAgain()
    {
        var files = Directory.CreateDirectory(Path.Combine(_host.Folder, "files")).FullName;
        var good = "file-" + new string('g', 24);
        var damaged = "file-" + new string('d', 24);
        await File.WriteAllTextAsync(Path.Combine(files, good + ".jsonl"), FineTuningData.IntentJsonl());
        await File.WriteAllTextAsync(Path.Combine(files, good + ".json"), $$"""{"object":"file","id":"{{good}}","bytes":10,"created_at":1764331200,"filename":"intents.jsonl","purpose":"fine-tune","status":"processed","expires_at":null}""");
        await File.WriteAllTextAsync(Path.Combine(files, damaged + ".jsonl"), FineTuningData.IntentJsonl());
        await File.WriteAllTextAsync(Path.Combine(files, damaged + ".json"), "{\"id\": \"file-");
        var done = "ftjob-" + new string('s', 24);
        var unfinished = "ftjob-" + new string('r', 24);
        WriteLegacyJob(done, good, "succeeded", 1, """{"object":"fine_tuning.job.event","id":"ftevent-aaaaaaaaaaaaaaaaaaaaaaaa","created_at":1764331200,"level":"info","message":"The job has successfully completed","type":"message","data":null}""");
        WriteLegacyJob(unfinished, good, "running", 2, "");

        var (app, _) = await _host.StartAsync();
        var http = FineTuningHost.Http(app);
        var listedFiles = await http.GetFromJsonAsync<JsonObject>("/v1/files");
        var doneJob = await http.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs/{done}");
        var events = await http.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs/{done}/events");
        var checkpoints = await http.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs/{done}/checkpoints");
        var rerun = await FineTuningHost.WaitAsync(ServerFixture.CreateClient(app, "unused").GetFineTuningClient(), unfinished);
        var rerunEvents = await http.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs/{unfinished}/events?limit=100");

        Assert.Equal([good], listedFiles!["data"]!.AsArray().Select(f => (string?)f!["id"]));
        Assert.Equal("succeeded", (string?)doneJob!["status"]);
        Assert.Equal("The job has successfully completed", (string?)events!["data"]![0]!["message"]);
        Assert.Equal("ftckpt-aaaaaaaaaaaaaaaaaaaaaaaa", (string?)checkpoints!["data"]![0]!["id"]);
        Assert.True(rerun.Status == global::OpenAI.FineTuning.FineTuningStatus.Succeeded, FineTuningHost.Raw(rerun).ToJsonString());
        Assert.Contains(rerunEvents!["data"]!.AsArray(), e => ((string?)e!["message"])!.StartsWith("The server restarted while the job was running", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_host.Folder, "jobs", done, "job.json.imported")));
        Assert.True(File.Exists(Path.Combine(files, good + ".json.imported")));
        Assert.True(File.Exists(Path.Combine(files, damaged + ".json")), "a damaged record is left where it was");

        // A second start imports nothing twice.
        await app.StopAsync();
        var (again, _) = await _host.StartAsync();
        var jobs = await FineTuningHost.Http(again).GetFromJsonAsync<JsonObject>("/v1/fine_tuning/jobs");
        Assert.Equal(2, jobs!["data"]!.AsArray().Count);
    }

    private void WriteLegacyJob(string id, string file, string status, long sequence, string events)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_host.Folder, "jobs", id)).FullName;
        File.WriteAllText(Path.Combine(folder, "job.json"), $$"""
            {"job":{"object":"fine_tuning.job","id":"{{id}}","created_at":1764331200,"error":null,"fine_tuned_model":null,"finished_at":null,
             "hyperparameters":{"n_epochs":1,"batch_size":"auto","learning_rate_multiplier":"auto"},"model":"{{FineTuningHost.BaseModel}}",
             "status":"{{status}}","trained_tokens":null,"training_file":"{{file}}","validation_file":null,"user_provided_suffix":null,"seed":7,
             "method":{"type":"supervised"} },"sequence":{{sequence}} }
            """);
        File.WriteAllText(Path.Combine(folder, "events.jsonl"), events.Length == 0 ? "" : events + "\n");
        File.WriteAllText(Path.Combine(folder, "checkpoints.json"), $$"""[{"object":"fine_tuning.job.checkpoint","id":"ftckpt-aaaaaaaaaaaaaaaaaaaaaaaa","created_at":1764331200,"fine_tuned_model_checkpoint":"x:ckpt-step-1","step_number":1,"metrics":{"step":1},"fine_tuning_job_id":"{{id}}"}]""");
    }

    [Fact]
    public async Task Start_LeftoverTemporaryFiles_AreRemoved()
    {
        var files = Directory.CreateDirectory(Path.Combine(_host.Folder, "files")).FullName;
        var upload = Path.Combine(files, ".upload-0123.tmp");
        var write = Path.Combine(files, ".file-x.json.0123.tmp");
        var fresh = Path.Combine(files, ".upload-fresh.tmp");
        foreach (var path in new[] { upload, write, fresh })
        {
            await File.WriteAllTextAsync(path, "partial");
        }

        File.SetLastWriteTimeUtc(upload, DateTime.UtcNow.AddHours(-1));
        File.SetLastWriteTimeUtc(write, DateTime.UtcNow.AddHours(-1));

        await _host.StartAsync();

        Assert.False(File.Exists(upload));
        Assert.False(File.Exists(write));
        Assert.True(File.Exists(fresh), "a temporary file touched within the last minute may be a live upload");
    }

    private static async Task<string> UploadAsync(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("fine-tune"), "purpose" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(FineTuningData.IntentJsonl())), "file", "intents.jsonl" },
        };
        using var response = await FineTuningHost.Http(app).PostAsync("/v1/files", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }
}
