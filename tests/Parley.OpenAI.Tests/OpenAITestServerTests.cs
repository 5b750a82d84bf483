using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Testing;

namespace Parley.OpenAI.Tests;

/// <summary>The wire format of the shared test server, checked with a plain HTTP client.</summary>
public sealed class OpenAITestServerTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private OpenAITestServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAITestServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) => _http.PostAsJsonAsync($"{_server.BaseUrl}/{path}", body);

    [Fact]
    public void BaseUrl_IsLoopbackEndingInV1()
    {
        Assert.Equal("127.0.0.1", _server.BaseUrl.Host);
        Assert.EndsWith("/v1", _server.BaseUrl.AbsoluteUri);
    }

    [Fact]
    public async Task ChatCompletions_NonStreaming_HasTheChatCompletionShape()
    {
        using var response = await PostAsync("chat/completions", new { model = "m1", messages = new[] { new { role = "user", content = "hello world" } } });

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("chatcmpl-", json["id"]!.GetValue<string>());
        Assert.Equal("chat.completion", json["object"]!.GetValue<string>());
        Assert.True(json["created"]!.GetValue<long>() > 1_700_000_000);
        Assert.Equal("m1", json["model"]!.GetValue<string>());
        var choice = json["choices"]![0]!;
        Assert.Equal(0, choice["index"]!.GetValue<int>());
        Assert.Equal("assistant", choice["message"]!["role"]!.GetValue<string>());
        Assert.Equal("echo: hello world", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal(2, json["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(3, json["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(5, json["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task ChatCompletions_ToolCall_HasToolCallsAndFinishReason()
    {
        _server.Enqueue(ServerStep.ToolCall("lookup", """{"q":"x"}"""));

        using var response = await PostAsync("chat/completions", new { model = "m", messages = new[] { new { role = "user", content = "hi" } } });

        var choice = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Null(choice["message"]!["content"]);
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.Equal("call_1", call["id"]!.GetValue<string>());
        Assert.Equal("function", call["type"]!.GetValue<string>());
        Assert.Equal("lookup", call["function"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"q":"x"}""", call["function"]!["arguments"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_Streaming_SendsChunksThenDoneWithUsageOnlyWhenAsked(bool includeUsage)
    {
        _server.Enqueue(ServerStep.Reply("one two three"));

        using var response = await PostAsync("chat/completions", new
        {
            model = "m",
            stream = true,
            stream_options = new { include_usage = includeUsage },
            messages = new[] { new { role = "user", content = "count" } },
        });

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.StartsWith("data: ", line));
        Assert.Equal("data: [DONE]", lines[^1]);
        var chunks = lines[..^1].Select(line => JsonNode.Parse(line["data: ".Length..])!).ToList();
        Assert.All(chunks, chunk => Assert.Equal("chat.completion.chunk", chunk["object"]!.GetValue<string>()));
        Assert.Single(chunks.Select(c => c["id"]!.GetValue<string>()).Distinct());
        var deltas = chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!).ToList();
        Assert.Equal("assistant", deltas[0]["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("one two three", string.Concat(deltas.Select(d => d["delta"]!["content"]?.GetValue<string>())));
        Assert.Equal(["one ", "two ", "three"], deltas.Skip(1).Take(3).Select(d => d["delta"]!["content"]!.GetValue<string>()));
        Assert.Equal("stop", deltas[^1]["finish_reason"]!.GetValue<string>());
        var usage = chunks.Where(c => c["usage"] is not null).ToList();
        if (includeUsage)
        {
            Assert.Equal(3, Assert.Single(usage)["usage"]!["completion_tokens"]!.GetValue<int>());
            Assert.Empty(chunks[^1]["choices"]!.AsArray());
        }
        else
        {
            Assert.Empty(usage);
        }
    }

    [Fact]
    public async Task ChatCompletions_Status_SendsOpenAIErrorAndRetryAfterHeaders()
    {
        _server.Enqueue(ServerStep.Status(429, retryAfterSeconds: 2, retryAfterMilliseconds: 1500));

        using var response = await PostAsync("chat/completions", new { model = "m", messages = Array.Empty<object>() });

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("retry-after").Single());
        Assert.Equal("1500", response.Headers.GetValues("retry-after-ms").Single());
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("rate_limit_exceeded", error["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Requests_RecordEveryRequestWithBodyAndHeadersInOrder()
    {
        _server.Enqueue(ServerStep.Status(500));
        using var first = await PostAsync("chat/completions", new { model = "m", messages = new[] { new { role = "user", content = "a" } } });
        using var second = await _http.GetAsync($"{_server.BaseUrl}/models");

        var requests = _server.Requests;
        Assert.Equal(["/v1/chat/completions", "/v1/models"], requests.Select(r => r.Path));
        Assert.Equal("a", requests[0].Json!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("application/json; charset=utf-8", requests[0].Header("content-type"));
        Assert.Single(_server.ChatRequests);
        Assert.Equal(0, _server.PendingSteps);
    }

    [Fact]
    public async Task Models_ListsTheConfiguredModels()
    {
        _server.Models = ["alpha", "beta"];

        var json = JsonNode.Parse(await _http.GetStringAsync($"{_server.BaseUrl}/models"))!;

        Assert.Equal("list", json["object"]!.GetValue<string>());
        Assert.Equal(["alpha", "beta"], json["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Embeddings_FloatFormat_GivesDeterministicUnitVectorsOfTheAskedSize()
    {
        using var response = await PostAsync("embeddings", new { model = "e", input = new[] { "x", "y", "x" }, dimensions = 5, encoding_format = "float" });

        var data = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsArray();
        var vectors = data.Select(d => d!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray()).ToList();
        Assert.Equal(3, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(5, v.Length));
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.Equal([0, 1, 2], data.Select(d => d!["index"]!.GetValue<int>()));
    }

    [Fact]
    public async Task DisposeAsync_WithARequestWaitingInADelay_FinishesQuickly()
    {
        var server = await OpenAITestServer.StartAsync();
        server.Enqueue(ServerStep.Delay(TimeSpan.FromMinutes(5)));
        var pending = _http.PostAsJsonAsync($"{server.BaseUrl}/chat/completions", new { model = "m", messages = Array.Empty<object>() });
        while (server.ChatRequests.Count == 0)
        {
            await Task.Delay(10);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
    }
}
