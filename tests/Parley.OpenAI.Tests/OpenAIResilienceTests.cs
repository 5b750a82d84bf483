using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using Parley.Core.Resilience;
using Parley.Testing;

namespace Parley.OpenAI.Tests;

/// <summary>The real SDK behind <see cref="RetryingChatClient"/>, against <see cref="OpenAITestServer"/> failing on purpose.</summary>
public sealed class OpenAIResilienceTests : IAsyncLifetime
{
    private readonly List<RetryEvent> _retries = [];
    private OpenAITestServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAITestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IChatClient Pipeline(Action<RetryOptions>? configure = null, TimeSpan? attemptTimeout = null)
    {
        var endpoint = TestEndpoints.For(_server);
        endpoint.AttemptTimeout = attemptTimeout ?? endpoint.AttemptTimeout;
        return OpenAIChatClientFactory.CreatePipeline(endpoint, o =>
        {
            TestEndpoints.Fast(o);
            o.OnRetry = _retries.Add;
            configure?.Invoke(o);
        });
    }

    [Fact]
    public async Task GetResponseAsync_RateLimitedWithRetryAfter_WaitsThenSucceeds()
    {
        _server.Enqueue(ServerStep.Status(429, retryAfterSeconds: 1), ServerStep.Reply("after the wait"));
        using var client = Pipeline();
        var clock = Stopwatch.StartNew();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("after the wait", response.Text);
        var requests = _server.ChatRequests;
        Assert.Equal(2, requests.Count);
        // Timers tick in whole milliseconds and may fire a little early against other clocks.
        var almostOneSecond = TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(20);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= almostOneSecond);
        Assert.True(clock.Elapsed >= almostOneSecond);
        var retry = Assert.Single(_retries);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Delay);
        Assert.Equal(new TransientFailure(429, TimeSpan.FromSeconds(1), "HTTP 429 Too Many Requests"), retry.Failure);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterMs_TakesPrecedenceOverRetryAfter()
    {
        _server.Enqueue(ServerStep.Status(429, retryAfterSeconds: 30, retryAfterMilliseconds: 150), ServerStep.Reply("ok"));
        using var client = Pipeline();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(TimeSpan.FromMilliseconds(150), Assert.Single(_retries).Delay);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterBeyondDeadline_FailsAtOnce()
    {
        _server.Enqueue(ServerStep.Status(429, retryAfterSeconds: 120));
        using var client = Pipeline();

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Single(_server.ChatRequests);
        Assert.Equal(429, error.StatusCode);
        Assert.Contains("HTTP 429 Too Many Requests; it asked to retry after 120 s, beyond the 60 s deadline", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_ServerErrorThenSuccess_Retries()
    {
        _server.Enqueue(ServerStep.Status(500), ServerStep.Reply("recovered"));
        using var client = Pipeline();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("recovered", response.Text);
        Assert.Equal(2, _server.ChatRequests.Count);
        Assert.Equal("HTTP 500 Internal Server Error", Assert.Single(_retries).Failure.Reason);
    }

    [Fact]
    public async Task GetResponseAsync_ResponseCutHalfWay_IsRetried()
    {
        _server.Enqueue(ServerStep.CutStreamAfter(chunks: 3));
        using var client = Pipeline();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("echo: hi", response.Text);
        Assert.Equal(2, _server.ChatRequests.Count);
        Assert.StartsWith("IOException", Assert.Single(_retries).Failure.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task GetStreamingResponseAsync_CutBeforeFirstToken_IsRetriedWithoutDuplicates(int chunks)
    {
        _server.Enqueue(ServerStep.CutStreamAfter(chunks));
        using var client = Pipeline();

        var text = await ReadTextAsync(client.GetStreamingResponseAsync("again"));

        Assert.Equal("echo: again", text);
        Assert.Equal(2, _server.ChatRequests.Count);
        Assert.StartsWith("IOException", Assert.Single(_retries).Failure.Reason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CutAfterFirstToken_IsNotRetried()
    {
        var readEnough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Enqueue(ServerStep.CutStreamAfter(chunks: 3, text: "one two three four", cutWhen: readEnough.Task));
        using var client = Pipeline();
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<UpstreamException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
                if (string.Concat(received) == "one two ")
                {
                    readEnough.SetResult();
                }
            }
        });

        Assert.Equal("one two ", string.Concat(received));
        Assert.Single(_server.ChatRequests);
        Assert.Empty(_retries);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Contains("stream broke after 3 updates had reached the caller", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_ServerSlowerThanAttemptTimeout_FailsClearlyAfterEveryAttempt()
    {
        using var client = Pipeline(o => o.MaxAttempts = 2, attemptTimeout: TimeSpan.FromMilliseconds(400));
        await client.GetResponseAsync("warm up");
        _server.Enqueue(ServerStep.Delay(TimeSpan.FromSeconds(10)), ServerStep.Delay(TimeSpan.FromSeconds(10)));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(3, _server.ChatRequests.Count);
        Assert.Equal(2, error.Attempts);
        Assert.Null(error.StatusCode);
        Assert.Contains("failed after 2 attempts", error.Message);
        Assert.Contains("exceeded the configured timeout of 0:00:00.4", error.Message);
        Assert.InRange(error.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task GetResponseAsync_DeadlineExpiresAcrossRetries_FailsNamingTheLastError()
    {
        using var client = Pipeline(o => o.Deadline = TimeSpan.FromSeconds(1));
        await client.GetResponseAsync("warm up");
        _server.Enqueue(ServerStep.Status(503), ServerStep.Delay(TimeSpan.FromSeconds(10)));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(3, _server.ChatRequests.Count);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(503, error.StatusCode);
        Assert.Matches(@"^The model endpoint failed after 2 attempts in [\d.]+ s: the deadline of 1 s expired \(last error: HTTP 503 Service Unavailable\)\.$", error.Message);
        Assert.InRange(error.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamSlowerThanDeadlineButSteady_Completes()
    {
        using var client = Pipeline(o => o.Deadline = TimeSpan.FromMilliseconds(700));
        await ReadTextAsync(client.GetStreamingResponseAsync("warm up"));
        _server.Enqueue(ServerStep.Reply("a b c d e f", chunkDelay: TimeSpan.FromMilliseconds(200)));

        var text = await ReadTextAsync(client.GetStreamingResponseAsync("slowly"));

        Assert.Equal("a b c d e f", text);
        Assert.Equal(2, _server.ChatRequests.Count);
    }

    [Fact]
    public async Task GetResponseAsync_ModelNotFound_FailsAtOnceWithTheServersMessage()
    {
        _server.Enqueue(ServerStep.Status(404, message: "The model `gpt-9` does not exist."));
        using var client = Pipeline();

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Single(_server.ChatRequests);
        Assert.Equal(404, error.StatusCode);
        Assert.EndsWith(": HTTP 404 Not Found: The model `gpt-9` does not exist.", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_NothingListening_RetriesThenNamesTheConnectionError()
    {
        var port = FreePort();
        var endpoint = new OpenAIEndpointOptions { BaseUrl = new Uri($"http://127.0.0.1:{port}/v1"), Model = "m" };
        using var client = OpenAIChatClientFactory.CreatePipeline(endpoint, o => { TestEndpoints.Fast(o); o.MaxAttempts = 2; });

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(2, error.Attempts);
        Assert.Null(error.StatusCode);
        Assert.Contains($"HttpRequestException: Connection refused (127.0.0.1:{port})", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceledAndDoesNotRetry()
    {
        _server.Enqueue(ServerStep.Delay(TimeSpan.FromSeconds(10)));
        using var client = Pipeline();
        using var cts = new CancellationTokenSource();

        // Cancel once the request is at the server (a fixed delay can fire before it gets there on a busy machine).
        var call = client.GetResponseAsync("hi", cancellationToken: cts.Token);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (_server.ChatRequests.Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        await cts.CancelAsync();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Single(_server.ChatRequests);
        Assert.Empty(_retries);
    }

    private static async Task<string> ReadTextAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in updates)
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
