using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace Parley.Server.Tests.FineTuning;

/// <summary>API keys as a data boundary for fine-tuning: files, jobs and <c>ft:</c> models belong to the key that made them.</summary>
[Collection(ServerCollection.Name)]
public sealed class FineTuningOwnershipTests(ServerFixture server) : IAsyncLifetime
{
    private const string KeyA = "sk-owner-a";
    private const string KeyB = "sk-owner-b";
    private const string Admin = "sk-admin";

    private readonly FineTuningHost _host = new(server);
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        (_app, _) = await _host.StartAsync(configure: o =>
        {
            o.ApiKeys.Add(KeyA);
            o.ApiKeys.Add(KeyB);
            o.AdminApiKeys.Add(Admin);
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task File_OfAnotherKey_Is404EverywhereAndNotListed_ButTheOwnerAndAdminSeeIt()
    {
        var file = await UploadAsync(KeyA);

        foreach (var (method, path) in new[] { (HttpMethod.Get, $"/v1/files/{file}"), (HttpMethod.Get, $"/v1/files/{file}/content"), (HttpMethod.Delete, $"/v1/files/{file}") })
        {
            var (status, body) = await SendAsync(KeyB, method, path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("file_not_found", (string?)body!["error"]!["code"]);
        }

        Assert.DoesNotContain(file, await IdsAsync(KeyB, "/v1/files"));
        Assert.Contains(file, await IdsAsync(KeyA, "/v1/files"));
        Assert.Contains(file, await IdsAsync(Admin, "/v1/files"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Admin, HttpMethod.Get, $"/v1/files/{file}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(KeyA, HttpMethod.Get, $"/v1/files/{file}")).Status);
    }

    [Fact]
    public async Task CreateJob_WithAnotherKeysFile_Is400AsIfTheFileDidNotExist()
    {
        var file = await UploadAsync(KeyA);

        var (status, body) = await SendAsync(KeyB, HttpMethod.Post, "/v1/fine_tuning/jobs", new JsonObject { ["model"] = FineTuningHost.BaseModel, ["training_file"] = file });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("file_not_found", (string?)body!["error"]!["code"]);
        Assert.Equal("training_file", (string?)body["error"]!["param"]);
    }

    [Fact]
    public async Task JobAndItsModel_OfAnotherKey_Are404AndHidden_TheOwnerChatsAndAdminSeesAll()
    {
        var file = await UploadAsync(KeyA);
        var (created, job) = await SendAsync(KeyA, HttpMethod.Post, "/v1/fine_tuning/jobs", new JsonObject { ["model"] = FineTuningHost.BaseModel, ["training_file"] = file, ["hyperparameters"] = new JsonObject { ["n_epochs"] = 2 } });
        Assert.Equal(HttpStatusCode.OK, created);
        var id = (string)job!["id"]!;
        var model = await WaitForModelAsync(id);

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/v1/fine_tuning/jobs/{id}"), (HttpMethod.Post, $"/v1/fine_tuning/jobs/{id}/cancel"),
            (HttpMethod.Get, $"/v1/fine_tuning/jobs/{id}/events"), (HttpMethod.Get, $"/v1/fine_tuning/jobs/{id}/checkpoints"),
        })
        {
            var (status, body) = await SendAsync(KeyB, method, path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("fine_tuning_job_not_found", (string?)body!["error"]!["code"]);
        }

        Assert.Empty(await IdsAsync(KeyB, "/v1/fine_tuning/jobs"));
        Assert.DoesNotContain(model, await IdsAsync(KeyB, "/v1/models"));
        foreach (var (method, path, content) in new[]
        {
            (HttpMethod.Get, $"/v1/models/{model}", (JsonObject?)null),
            (HttpMethod.Delete, $"/v1/models/{model}", null),
            (HttpMethod.Post, "/v1/chat/completions", Chat(model)),
        })
        {
            var (status, body) = await SendAsync(KeyB, method, path, content);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("model_not_found", (string?)body!["error"]!["code"]);
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(KeyA, HttpMethod.Post, "/v1/chat/completions", Chat(model))).Status);
        Assert.Contains(model, await IdsAsync(KeyA, "/v1/models"));
        Assert.Contains(model, await IdsAsync(Admin, "/v1/models"));
        Assert.Contains(id, await IdsAsync(Admin, "/v1/fine_tuning/jobs"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Admin, HttpMethod.Post, "/v1/chat/completions", Chat(model))).Status);
    }

    private static JsonObject Chat(string model) => new()
    {
        ["model"] = model,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "when do you open?" }),
    };

    private async Task<string> WaitForModelAsync(string jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var (_, job) = await SendAsync(KeyA, HttpMethod.Get, $"/v1/fine_tuning/jobs/{jobId}");
            var status = (string?)job!["status"];
            if (status == "succeeded")
            {
                return (string)job["fine_tuned_model"]!;
            }

            Assert.True(status is "validating_files" or "queued" or "running" && DateTime.UtcNow < deadline, job.ToJsonString());
            await Task.Delay(100);
        }
    }

    private async Task<string> UploadAsync(string key)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("fine-tune"), "purpose" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(FineTuningData.ChatJsonl())), "file", "shop.jsonl" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files") { Content = form };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await FineTuningHost.Http(_app).SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task<IReadOnlyList<string?>> IdsAsync(string key, string path)
    {
        var (status, body) = await SendAsync(key, HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body!["data"]!.AsArray().Select(item => (string?)item!["id"])];
    }

    private async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(string key, HttpMethod method, string path, JsonObject? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content is null ? null : JsonContent.Create(content) };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await FineTuningHost.Http(_app).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text)!.AsObject() : null);
    }
}
