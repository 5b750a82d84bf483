using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Conversations;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SessionEndpointsTests(ServerFixture server)
{
    [Fact]
    public async Task PostChat_WithSessionHeader_StoresTurnsAndEchoesId()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(id, "hello");
        await SendAsync(id, "thanks");

        var session = await server.Http.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}");
        var list = await server.Http.GetFromJsonAsync<JsonNode>("/api/sessions");

        Assert.Equal("shop", (string?)session!["bot"]);
        Assert.Equal(["user", "assistant", "user", "assistant"], session["messages"]!.AsArray().Select(m => (string?)m!["role"]));
        Assert.Equal("thanks", (string?)session["messages"]![2]!["content"]);
        Assert.Contains(list!["data"]!.AsArray(), s => (string?)s!["id"] == id);
    }

    [Fact]
    public async Task PostChat_WithoutSessionHeader_StartsASessionHoldingTheWholeConversation()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "shop",
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "system", ["content"] = "Be brief." },
                    new JsonObject { ["role"] = "user", ["content"] = "hello" },
                    new JsonObject { ["role"] = "assistant", ["content"] = "Hi! How can I help?" },
                    new JsonObject { ["role"] = "user", ["content"] = "thanks, that's all" }),
            }),
        };

        using var response = await server.Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var id = response.Headers.GetValues("X-Parley-Session").Single();
        var session = await server.Http.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}");
        Assert.Equal(["user", "assistant", "user", "assistant"], session!["messages"]!.AsArray().Select(m => (string?)m!["role"]));
        Assert.Equal("Hi! How can I help?", (string?)session["messages"]![1]!["content"]);

        await SendAsync(id, "one more thing");
        var continued = await server.Http.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}");
        Assert.Equal(6, continued!["messages"]!.AsArray().Count);
    }

    [Fact]
    public async Task GetSession_WithEvents_ListsThemWithTheirPlace()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(id, "hello");
        var store = server.Services.GetRequiredService<Parley.Server.Hosting.BotRegistry>().Store;
        await store.AppendAsync(id, [], [new ConversationEvent("handoff", DateTimeOffset.UtcNow, "asked for a person", new Dictionary<string, string> { ["reason"] = "request" })]);

        var session = await server.Http.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}");

        var handoff = Assert.Single(session!["events"]!.AsArray())!;
        Assert.Equal("handoff", (string?)handoff["kind"]);
        Assert.Equal("asked for a person", (string?)handoff["detail"]);
        Assert.Equal("request", (string?)handoff["data"]!["reason"]);
        Assert.Equal(2, (int?)handoff["after_messages"]);
    }

    [Fact]
    public async Task PostChat_SessionOfAnotherBot_Returns400NamingBothAndStoresNothing()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        var store = server.Services.GetRequiredService<Parley.Server.Hosting.BotRegistry>().Store;
        await store.CreateAsync("clinic", id, owner: Parley.Server.Security.ApiCaller.OwnerOf(ServerFixture.ApiKey));

        var (status, error) = await PostWithSessionAsync(id, "hello");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("session_model_mismatch", (string?)error!["code"]);
        Assert.Contains("'clinic', not 'shop'", (string?)error["message"]);
        Assert.Empty((await store.GetAsync(id))!.Messages);
    }

    [Fact]
    public async Task DeleteSession_Existing_RemovesIt()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(id, "hello");

        using var deleted = await server.Http.DeleteAsync($"/api/sessions/{id}");
        using var after = await server.Http.GetAsync($"/api/sessions/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("line\u0001break")]
    [InlineData("../../etc/passwd")]
    public async Task PostChat_SessionHeaderWithOtherCharacters_Returns400NamingIt(string session)
    {
        var (status, error) = await PostWithSessionAsync(session, "hello");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("X-Parley-Session", (string?)error!["param"]);
        Assert.Equal("invalid_session_id", (string?)error["code"]);
    }

    [Fact]
    public async Task PostChat_SessionHeaderTooLong_Returns400()
    {
        var (status, error) = await PostWithSessionAsync(new string('a', 129), "hello");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("X-Parley-Session", (string?)error!["param"]);
    }

    [Fact]
    public async Task PostChat_ConcurrentTurnsOnOneNewSession_AreServedOneAfterTheOther()
    {
        server.ResetLlm();
        var running = 0;
        var overlapped = false;
        server.Llm.GetResponseAsyncCallback = async (messages, _, ct) =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await Task.Delay(200, ct);
            Interlocked.Decrement(ref running);
            return new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, "answer to " + messages.Last().Text));
        };
        var id = "s-" + Guid.NewGuid().ToString("N");
        try
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => PostWithSessionAsync(id, $"zqx vlorp question {i}")));

            Assert.All(replies, r => Assert.True(r.Status == HttpStatusCode.OK, r.Error?.ToJsonString()));
            Assert.False(overlapped);
            var session = await server.Http.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}");
            var messages = session!["messages"]!.AsArray();
            Assert.Equal(8, messages.Count);
            for (var i = 0; i < 8; i += 2)
            {
                Assert.Equal("user", (string?)messages[i]!["role"]);
                Assert.Equal("answer to " + (string?)messages[i]!["content"], (string?)messages[i + 1]!["content"]);
            }
        }
        finally
        {
            server.ResetLlm();
        }
    }

    [Fact]
    public async Task ListSessions_PagedWithLimitAndAfter_WalksEverySessionOnce()
    {
        var mine = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = "s-page-" + Guid.NewGuid().ToString("N");
            await SendAsync(id, "hello");
            mine.Add(id);
        }

        var seen = new List<string>();
        string? after = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await server.Http.GetFromJsonAsync<JsonNode>("/api/sessions?limit=2" + (after is null ? string.Empty : "&after=" + after));
            var ids = page!["data"]!.AsArray().Select(s => (string)s!["id"]!).ToList();
            Assert.InRange(ids.Count, 0, 2);
            seen.AddRange(ids);
            if (!(bool)page["has_more"]!)
            {
                break;
            }

            after = (string?)page["last_id"];
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(mine.AsEnumerable().Reverse(), seen.Where(mine.Contains));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("after=s-does-not-exist", "after")]
    public async Task ListSessions_BadPaging_Returns400NamingTheParameter(string query, string param)
    {
        using var response = await server.Http.GetAsync("/api/sessions?" + query);
        var error = (await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (string?)error["param"]);
    }

    [Fact]
    public async Task PatchSession_Title_ShowsInDetailAndListAndNullRemovesIt()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(id, "hello");

        using var renamed = await PatchAsync(id, new JsonObject { ["title"] = "  退货问题 — returns  " });
        var detail = JsonNode.Parse(await renamed.Content.ReadAsStringAsync())!;
        var list = await server.Http.GetFromJsonAsync<JsonNode>("/api/sessions?limit=1000");
        using var cleared = await PatchAsync(id, new JsonObject { ["title"] = null });
        var after = await server.Http.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}");

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("退货问题 — returns", (string?)detail["title"]);
        Assert.Equal(2, detail["messages"]!.AsArray().Count);
        Assert.Equal("退货问题 — returns", (string?)list!["data"]!.AsArray().Single(s => (string?)s!["id"] == id)!["title"]);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Null(after!["title"]);
    }

    [Theory]
    [InlineData("{\"title\":\"line one\\nline two\"}", "title", "invalid_title")]
    [InlineData("{\"title\":\"tab\\there\"}", "title", "invalid_title")]
    [InlineData("{\"title\":\"separator\\u2028here\"}", "title", "invalid_title")]
    [InlineData("{\"title\":42}", "title", "invalid_value")]
    [InlineData("{}", "title", "invalid_value")]
    [InlineData("{\"title\":\"ok\",\"bot\":\"other\"}", "bot", "invalid_value")]
    [InlineData("[1]", null, "invalid_json")]
    public async Task PatchSession_BadBody_Returns400NamingTheField(string body, string? param, string code)
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(id, "hello");

        using var response = await server.Http.PatchAsync($"/api/sessions/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(param, (string?)error["param"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
    }

    [Fact]
    public async Task PatchSession_TitleTooLong_Returns400SayingTheLimit()
    {
        var id = "s-" + Guid.NewGuid().ToString("N");
        await SendAsync(id, "hello");

        using var response = await PatchAsync(id, new JsonObject { ["title"] = new string('x', 201) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 200 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchSession_Unknown_Returns404()
    {
        using var response = await PatchAsync("s-none-" + Guid.NewGuid().ToString("N"), new JsonObject { ["title"] = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("session_not_found", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    private Task<HttpResponseMessage> PatchAsync(string id, JsonObject body) => server.Http.PatchAsync($"/api/sessions/{id}", JsonContent.Create(body));

    [Fact]
    public async Task GetReadyz_AfterStart_IsReady()
    {
        using var response = await server.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, JsonNode? Error)> PostWithSessionAsync(string session, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "shop",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
            }),
        };
        request.Headers.TryAddWithoutValidation("X-Parley-Session", session);
        using var response = await server.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())?["error"]);
    }

    private async Task SendAsync(string session, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "shop",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
            }),
        };
        request.Headers.Add("X-Parley-Session", session);
        using var response = await server.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(session, response.Headers.GetValues("X-Parley-Session").Single());
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(session, (string?)json["parley"]?["session"]);
    }
}
