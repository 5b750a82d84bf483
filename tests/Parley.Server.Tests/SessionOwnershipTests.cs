using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Parley.Server.Tests;

/// <summary>
/// Sessions as a data boundary: a session belongs to the key that created it; another key gets 404 for it on every
/// route (read, rename, delete, continue, MCP) and does not list it; an admin key sees all; an open server is as before.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SessionOwnershipTests(ServerFixture server) : IAsyncLifetime
{
    private const string Alice = "sk-alice";
    private const string Bob = "sk-bob";
    private const string Admin = "sk-admin";

    private WebApplication _app = null!;

    public async Task InitializeAsync() => _app = await server.StartServerAsync(options =>
    {
        options.ApiKeys.Add(Alice);
        options.ApiKeys.Add(Bob);
        options.AdminApiKeys.Add(Admin);
        options.AuthFailuresPerMinute = 0;
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task OtherKey_SessionCreatedWithHeader_Gets404OnEveryRouteAndDoesNotListIt()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Alice, id, "what is your returns policy? secret-marker")).Status);

        using var get = await RequestAsync(Bob, HttpMethod.Get, $"/api/sessions/{id}");
        using var patch = await RequestAsync(Bob, HttpMethod.Patch, $"/api/sessions/{id}", new JsonObject { ["title"] = "mine now" });
        using var delete = await RequestAsync(Bob, HttpMethod.Delete, $"/api/sessions/{id}");
        var (continued, continuedBody) = await SendAsync(Bob, id, "repeat what I said before");
        var bobs = await ListAsync(Bob);
        var alices = await ListAsync(Alice);

        foreach (var response in new[] { get, patch, delete })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal("session_not_found", (string?)JsonNode.Parse(body)!["error"]!["code"]);
            Assert.DoesNotContain("secret-marker", body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, continued);
        Assert.Equal("session_not_found", (string?)JsonNode.Parse(continuedBody)!["error"]!["code"]);
        Assert.DoesNotContain("secret-marker", continuedBody, StringComparison.Ordinal);
        Assert.DoesNotContain(id, bobs);
        Assert.Contains(id, alices);
        var stored = await GetAsync(Alice, id);
        Assert.Equal(2, stored["messages"]!.AsArray().Count);
        Assert.Null(stored["title"]);
    }

    [Fact]
    public async Task OtherKey_SessionTheServerNamed_IsNotTheirs()
    {
        using var created = await RequestAsync(Alice, HttpMethod.Post, "/v1/chat/completions", new JsonObject
        {
            ["model"] = "shop",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }),
        });
        var id = created.Headers.GetValues("X-Parley-Session").Single();

        using var get = await RequestAsync(Bob, HttpMethod.Get, $"/api/sessions/{id}");
        using var own = await RequestAsync(Alice, HttpMethod.Get, $"/api/sessions/{id}");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task AdminKey_OtherKeysSessions_SeesListsRenamesAndDeletesThem()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(Alice, id, "hello");

        var listed = await ListAsync(Admin);
        using var patch = await RequestAsync(Admin, HttpMethod.Patch, $"/api/sessions/{id}", new JsonObject { ["title"] = "Reviewed" });
        var seenByOwner = await GetAsync(Alice, id);
        using var delete = await RequestAsync(Admin, HttpMethod.Delete, $"/api/sessions/{id}");
        using var gone = await RequestAsync(Alice, HttpMethod.Get, $"/api/sessions/{id}");

        Assert.Contains(id, listed);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("Reviewed", (string?)seenByOwner["title"]);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task OtherKey_PagingAfterAnotherKeysSession_IsRefusedLikeAnUnknownOne()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(Alice, id, "hello");

        using var response = await RequestAsync(Bob, HttpMethod.Get, $"/api/sessions?after={id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("after", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["param"]);
    }

    [Fact]
    public async Task Mcp_AskInAnotherKeysSession_IsRefusedAndLeavesItAsItWas()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(Alice, id, "hello");
        await using var bob = await McpAsync(Bob);
        await using var alice = await McpAsync(Alice);

        var refused = await bob.CallToolAsync("ask_shop", new Dictionary<string, object?> { ["message"] = "how long does shipping take?", ["session"] = id });
        var fresh = "mcp-" + Guid.NewGuid().ToString("N");
        await alice.CallToolAsync("ask_shop", new Dictionary<string, object?> { ["message"] = "how long does shipping take?", ["session"] = fresh });
        using var bobReadsAlices = await RequestAsync(Bob, HttpMethod.Get, $"/api/sessions/{fresh}");

        Assert.True(refused.IsError);
        Assert.Contains("no session", Assert.IsType<TextContentBlock>(Assert.Single(refused.Content)).Text, StringComparison.Ordinal);
        Assert.Equal(2, (await GetAsync(Alice, id))["messages"]!.AsArray().Count);
        Assert.Equal(2, (await GetAsync(Alice, fresh))["messages"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, bobReadsAlices.StatusCode);
    }

    [Fact]
    public async Task OpenServer_SessionsOfEveryone_AreSeenAndContinued()
    {
        await using var open = await server.StartServerAsync(_ => { });
        using var http = open.GetTestClient();
        var id = "s-" + Guid.NewGuid().ToString("N");

        for (var turn = 0; turn < 2; turn++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = JsonContent.Create(new JsonObject
                {
                    ["model"] = "shop",
                    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }),
                }),
            };
            request.Headers.Add("X-Parley-Session", id);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var list = await http.GetFromJsonAsync<JsonNode>("/api/sessions");
        var session = await http.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}");

        Assert.Contains(list!["data"]!.AsArray(), s => (string?)s!["id"] == id);
        Assert.Equal(4, session!["messages"]!.AsArray().Count);
    }

    private async Task<HttpResponseMessage> RequestAsync(string key, HttpMethod method, string path, JsonObject? body = null)
    {
        using var http = _app.GetTestClient();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", key);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string key, string session, string text)
    {
        using var http = _app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "shop",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
            }),
        };
        request.Headers.Authorization = new("Bearer", key);
        request.Headers.Add("X-Parley-Session", session);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> GetAsync(string key, string id)
    {
        using var response = await RequestAsync(key, HttpMethod.Get, $"/api/sessions/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<List<string?>> ListAsync(string key)
    {
        using var response = await RequestAsync(key, HttpMethod.Get, "/api/sessions?limit=1000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsArray().Select(s => (string?)s!["id"])];
    }

    private Task<McpClient> McpAsync(string key)
    {
        var http = _app.GetTestClient();
        return McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" },
        }, http, ownsHttpClient: true));
    }
}
