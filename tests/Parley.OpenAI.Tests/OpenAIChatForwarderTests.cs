using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Parley.Core.Resilience;
using Parley.Testing;

namespace Parley.OpenAI.Tests;

/// <summary><see cref="OpenAIChatForwarder"/> from a pipeline client, against <see cref="OpenAITestServer"/>.</summary>
public sealed class OpenAIChatForwarderTests : IAsyncLifetime
{
    private readonly List<RetryEvent> _retries = [];
    private OpenAITestServer _server = null!;
    private IChatClient _client = null!;

    private OpenAIChatForwarder Forwarder => _client.GetService<OpenAIChatForwarder>() ?? throw new InvalidOperationException("no forwarder");

    public async Task InitializeAsync()
    {
        _server = await OpenAITestServer.StartAsync();
        _client = OpenAIChatClientFactory.CreatePipeline(TestEndpoints.For(_server), o =>
        {
            TestEndpoints.Fast(o);
            o.MaxAttempts = 2;
            o.OnRetry = _retries.Add;
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static ReadOnlyMemory<byte> Request(string text) =>
        Encoding.UTF8.GetBytes($$"""{"model":"{{OpenAITestServer.DefaultModel}}","messages":[{"role":"user","content":"{{text}}"}]}""");

    [Fact]
    public async Task CompleteAsync_Answer_ReturnedAsItCameWithItsUsage()
    {
        var completion = await Forwarder.CompleteAsync(Request("hello there"));

        var json = JsonNode.Parse(completion.Json.Span)!;
        Assert.StartsWith("chatcmpl-test-", (string?)json["id"], StringComparison.Ordinal);
        Assert.Equal("echo: hello there", completion.ReplyText());
        Assert.Equal(2, completion.InputTokens);
        Assert.Equal((int)json["usage"]!["completion_tokens"]!, completion.OutputTokens);
        Assert.Equal(OpenAITestServer.DefaultModel, completion.Model);
    }

    [Fact]
    public async Task CompleteAsync_OkButNotAChatCompletion_RetriedThenFailsAsTransient()
    {
        _server.Enqueue(ServerStep.Raw(200, "<html>captive portal</html>"), ServerStep.Raw(200, """{"object":"list","data":[]}""", "application/json"));

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => Forwarder.CompleteAsync(Request("hi")));

        Assert.Equal(2, _server.ChatRequests.Count);
        Assert.Single(_retries);
        Assert.True(failure.Transient);
    }

    [Fact]
    public async Task CompleteAsync_400_NotRetriedAndTheServersMessageIsTheReason()
    {
        _server.Enqueue(ServerStep.Status(400, message: "Invalid value for 'temperature'"));

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => Forwarder.CompleteAsync(Request("hi")));

        Assert.Single(_server.ChatRequests);
        Assert.Equal(400, failure.StatusCode);
        Assert.False(failure.Transient);
        Assert.Contains("Invalid value for 'temperature'", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_RateLimited_WaitsItsRetryAfterThenSucceeds()
    {
        _server.Enqueue(ServerStep.Status(429, retryAfterMilliseconds: 150), ServerStep.Reply("after the wait"));

        var completion = await Forwarder.CompleteAsync(Request("hi"));

        Assert.Equal("after the wait", completion.ReplyText());
        var retry = Assert.Single(_retries);
        Assert.Equal(TimeSpan.FromMilliseconds(150), retry.Delay);
        Assert.Equal(429, retry.Failure.StatusCode);
    }

    [Fact]
    public async Task CompleteAsync_CallersClassifier_DecidesFailuresOtherThanTheEndpointsStatus()
    {
        var classified = new List<Exception>();
        using var client = OpenAIChatClientFactory.CreatePipeline(TestEndpoints.For(_server), o =>
        {
            TestEndpoints.Fast(o);
            o.MaxAttempts = 3;
            o.OnRetry = _retries.Add;
            o.Classifier = e =>
            {
                classified.Add(e);
                return null; // nothing the caller sees is worth retrying
            };
        });
        var forwarder = client.GetService<OpenAIChatForwarder>()!;
        _server.Enqueue(ServerStep.Status(429, retryAfterMilliseconds: 10), ServerStep.Raw(200, "<html>captive portal</html>"), ServerStep.Reply("not reached"));

        await Assert.ThrowsAsync<UpstreamException>(() => forwarder.CompleteAsync(Request("hi")));

        // The 429 is the forwarder's to classify (retried after its wait); the page that is not a chat completion the caller's.
        Assert.Equal(2, _server.ChatRequests.Count);
        Assert.Equal(429, Assert.Single(_retries).Failure.StatusCode);
        Assert.IsNotType<UpstreamStatusException>(Assert.Single(classified));
    }

    [Fact]
    public void CreatePipeline_Forwarder_PostsToTheEndpointsChatCompletions()
    {
        Assert.Equal(new Uri(_server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/chat/completions"), Forwarder.Endpoint);
        Assert.Null(OpenAIChatClientFactory.Create(TestEndpoints.For(_server)).GetService<OpenAIChatForwarder>());
    }
}
