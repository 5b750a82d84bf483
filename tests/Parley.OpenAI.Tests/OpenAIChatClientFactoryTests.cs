using System.ClientModel;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Parley.Core.Resilience;
using Parley.Testing;

namespace Parley.OpenAI.Tests;

public sealed class OpenAIChatClientFactoryTests : IAsyncLifetime
{
    private OpenAITestServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAITestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CreatePipeline_NonStreaming_ReturnsTheServersReply()
    {
        _server.Enqueue(ServerStep.Reply("Hello from the test server."));
        using var client = OpenAIChatClientFactory.CreatePipeline(TestEndpoints.For(_server));

        var response = await client.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi there")]);

        Assert.Equal("Hello from the test server.", response.Text);
        Assert.Equal("test-model", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotNull(response.Usage);
        Assert.Equal(4, response.Usage.InputTokenCount);
        Assert.Equal(5, response.Usage.OutputTokenCount);
        var sent = Assert.Single(_server.ChatRequests).Json!;
        Assert.Equal("test-model", sent["model"]!.GetValue<string>());
        Assert.Equal(["system", "user"], sent["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CreatePipeline_EmptyQueue_EchoesTheLastUserMessage()
    {
        using var client = OpenAIChatClientFactory.CreatePipeline(TestEndpoints.For(_server));

        var response = await client.GetResponseAsync("ping");

        Assert.Equal("echo: ping", response.Text);
    }

    [Fact]
    public async Task CreatePipeline_Streaming_YieldsSeveralUpdatesJoiningToTheReplyWithUsage()
    {
        _server.Enqueue(ServerStep.Reply("The quick brown fox jumps."));
        using var client = OpenAIChatClientFactory.CreatePipeline(TestEndpoints.For(_server));

        List<ChatResponseUpdate> updates = [];
        await foreach (var update in client.GetStreamingResponseAsync("Tell me about foxes"))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 5, $"only {updates.Count} updates");
        Assert.Equal("The quick brown fox jumps.", string.Concat(updates.Select(u => u.Text)));
        var response = updates.ToChatResponse();
        Assert.Equal("The quick brown fox jumps.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var sent = Assert.Single(_server.ChatRequests).Json!;
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.NotNull(response.Usage);
        Assert.Equal(4, response.Usage.InputTokenCount);
        Assert.Equal(5, response.Usage.OutputTokenCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreatePipeline_ToolCallRoundTrip_SendsTheToolResultAndReturnsTheFinalAnswer(bool streaming)
    {
        _server.Enqueue(ServerStep.ToolCall("get_weather", """{"city":"Paris"}""", callId: "call_42"), ServerStep.Reply("It is sunny in Paris."));
        var calls = new List<string>();
        var getWeather = AIFunctionFactory.Create((string city) => { calls.Add(city); return $"sunny, 24 C in {city}"; }, "get_weather", "Current weather for a city.");
        using var client = new ChatClientBuilder(OpenAIChatClientFactory.CreatePipeline(TestEndpoints.For(_server))).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [getWeather] };

        var text = streaming
            ? string.Concat(await ToListAsync(client.GetStreamingResponseAsync("Weather in Paris?", options)))
            : (await client.GetResponseAsync("Weather in Paris?", options)).Text;

        Assert.Equal("It is sunny in Paris.", text);
        Assert.Equal(["Paris"], calls);
        var requests = _server.ChatRequests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("get_weather", requests[0].Json!["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        var messages = requests[1].Json!["messages"]!.AsArray();
        var assistant = messages.Single(m => m!["role"]!.GetValue<string>() == "assistant")!;
        Assert.Equal("call_42", assistant["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", JsonNode.Parse(assistant["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>())!.ToJsonString());
        var toolResult = messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("call_42", toolResult["tool_call_id"]!.GetValue<string>());
        Assert.Contains("sunny, 24 C in Paris", toolResult["content"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_WithoutApiKey_SendsNoAuthorizationHeader()
    {
        using var client = OpenAIChatClientFactory.Create(TestEndpoints.For(_server));

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("echo: hi", response.Text);
        Assert.Null(Assert.Single(_server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Create_WithApiKeyAndOrganization_SendsThem()
    {
        _server.RequiredApiKey = "sk-test-123";
        var endpoint = TestEndpoints.For(_server, apiKey: "sk-test-123");
        endpoint.OrganizationId = "org-parley";
        using var client = OpenAIChatClientFactory.Create(endpoint);

        await client.GetResponseAsync("hi");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer sk-test-123", request.Header("Authorization"));
        Assert.Equal("org-parley", request.Header("OpenAI-Organization"));
    }

    [Fact]
    public async Task CreatePipeline_WrongApiKey_FailsAtOnceWithTheServersMessage()
    {
        _server.RequiredApiKey = "sk-right";
        using var client = OpenAIChatClientFactory.CreatePipeline(TestEndpoints.For(_server, apiKey: "sk-wrong"));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(401, error.StatusCode);
        Assert.Single(_server.Requests);
        Assert.Matches(@"^The model endpoint failed after 1 attempt in [\d.]+ s: HTTP 401 Unauthorized: Incorrect API key provided\.$", error.Message);
    }

    [Fact]
    public async Task Create_SdkRetryPolicy_IsDisabled()
    {
        _server.Enqueue(ServerStep.Status(500), ServerStep.Status(500), ServerStep.Status(500));
        using var client = OpenAIChatClientFactory.Create(TestEndpoints.For(_server));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(500, error.Status);
        Assert.Single(_server.ChatRequests);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task CreatePipeline_ServerAlwaysFails_MakesExactlyMaxAttemptsRequests(int maxAttempts)
    {
        _server.Enqueue(ServerStep.Status(500), ServerStep.Status(500), ServerStep.Status(500), ServerStep.Status(500));
        using var client = OpenAIChatClientFactory.CreatePipeline(TestEndpoints.For(_server), o => { TestEndpoints.Fast(o); o.MaxAttempts = maxAttempts; });

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(maxAttempts, _server.ChatRequests.Count);
        Assert.Equal(maxAttempts, error.Attempts);
        Assert.Equal(500, error.StatusCode);
        Assert.EndsWith(": HTTP 500 Internal Server Error.", error.Message);
    }

    [Fact]
    public async Task CreateEmbeddingGenerator_SameText_GivesTheSameVector()
    {
        using var generator = OpenAIChatClientFactory.CreateEmbeddingGenerator(TestEndpoints.For(_server), "test-embedding");

        var embeddings = await generator.GenerateAsync(["apple", "pear", "apple"]);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(_server.EmbeddingDimensions, e.Vector.Length));
        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[2].Vector.ToArray());
        Assert.NotEqual(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray());
        Assert.Equal(1.0, Math.Sqrt(embeddings[1].Vector.ToArray().Sum(v => (double)v * v)), 3);
        Assert.Equal("test-embedding", Assert.Single(_server.Requests).Json!["model"]!.GetValue<string>());
    }

    [Fact]
    public void Create_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => OpenAIChatClientFactory.Create(new OpenAIEndpointOptions { Model = " " }));
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        List<string> texts = [];
        await foreach (var update in updates)
        {
            texts.Add(update.Text);
        }

        return texts;
    }
}
