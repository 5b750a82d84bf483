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
    public async Task ListFiles_DamagedFileRecord_SkipsItAndListsTheOthers()
    {
        var (app, _) = await _host.StartAsync();
        var good = await UploadAsync(app);
        var bad = await UploadAsync(app);
        await File.WriteAllTextAsync(Path.Combine(_host.Folder, "files", bad + ".json"), "{\"id\": \"file-");

        var list = await FineTuningHost.Http(app).GetFromJsonAsync<JsonObject>("/v1/files");

        Assert.Equal([good], list!["data"]!.AsArray().Select(f => (string?)f!["id"]));
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
