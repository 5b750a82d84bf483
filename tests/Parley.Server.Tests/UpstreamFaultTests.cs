using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// Chat completions while the upstream fails, for the upstream model (pass-through) and a bot whose LLM it is,
/// streamed and not: the client always gets an OpenAI-shaped error, never a bare 500, an upstream's own body or a
/// dropped connection.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UpstreamFaultTests(ServerFixture server) : IAsyncLifetime
{
    private FaultyUpstream _faulty = null!;

    public static TheoryData<string, bool> Targets => new()
    {
        { UpstreamGateway.Model, false },
        { UpstreamGateway.Model, true },
        { "shop", false },
        { "shop", true },
    };

    public async Task InitializeAsync() => _faulty = await FaultyUpstream.StartAsync(server);

    public async Task DisposeAsync() => await _faulty.DisposeAsync();

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Complete_UpstreamRateLimitedBeyondDeadline_Returns429WithItsRetryAfter(string model, bool stream)
    {
        _faulty.Upstream.Enqueue(ServerStep.Status(429, retryAfterSeconds: 30, message: "Rate limit reached for sk-upstream"));

        var reply = await _faulty.PostAsync(model, stream);

        Assert.Equal(429, reply.Status);
        Assert.Equal(TimeSpan.FromSeconds(30), reply.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", (string?)reply.Error?["code"]);
        Assert.DoesNotContain("sk-upstream", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Complete_Upstream500EveryTime_Returns502UpstreamErrorWithoutItsMessage(string model, bool stream)
    {
        _faulty.Upstream.Enqueue(ServerStep.Status(500, message: "internal detail xyzzy"), ServerStep.Status(500, message: "internal detail xyzzy"));

        var reply = await _faulty.PostAsync(model, stream);

        Assert.Equal(502, reply.Status);
        Assert.Equal("upstream_error", (string?)reply.Error?["code"]);
        Assert.Equal("server_error", (string?)reply.Error?["type"]);
        Assert.Contains("HTTP 500", (string?)reply.Error?["message"], StringComparison.Ordinal);
        Assert.DoesNotContain("xyzzy", reply.Body, StringComparison.Ordinal);
        Assert.Equal(2, _faulty.Upstream.ChatRequests.Count);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Complete_UpstreamHtml503_Returns502WithoutThePage(string model, bool stream)
    {
        _faulty.Upstream.Enqueue(ServerStep.Raw(503), ServerStep.Raw(503));

        var reply = await _faulty.PostAsync(model, stream);

        Assert.Equal(502, reply.Status);
        Assert.Equal("upstream_error", (string?)reply.Error?["code"]);
        Assert.DoesNotContain("nginx", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Complete_UpstreamEchoesItsKey_ClientNeverSeesItAndTheLogMasksIt(string model, bool stream)
    {
        _faulty.Upstream.Enqueue(ServerStep.EchoKeyError(401));

        var reply = await _faulty.PostAsync(model, stream);

        Assert.Equal(502, reply.Status);
        Assert.DoesNotContain(FaultyUpstream.UpstreamKey, reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Incorrect API key", reply.Body, StringComparison.Ordinal);
        var logged = Assert.Single(_faulty.Logs.Entries, e => e.Message.Contains("failed upstream", StringComparison.Ordinal)).Message;
        Assert.Contains("Incorrect API key provided: ***", logged, StringComparison.Ordinal);
        Assert.All(_faulty.Logs.Entries, e => Assert.DoesNotContain(FaultyUpstream.UpstreamKey, e.Message, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Complete_UpstreamRefusesTheRequest_PassThroughGets400WithItsReasonABotGets502(string model, bool stream)
    {
        const string Refusal = """
            {"error": {"message": "This model's maximum context length is 8192 tokens. However, your messages resulted in 9120 tokens.",
                       "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}
            """;
        _faulty.Upstream.Enqueue(ServerStep.Raw(400, Refusal, "application/json"), ServerStep.Raw(400, Refusal, "application/json"));

        var reply = await _faulty.PostAsync(model, stream);

        Assert.Single(_faulty.Upstream.ChatRequests); // a refusal is not retried
        if (model == UpstreamGateway.Model)
        {
            // The client wrote the request the model refused: it gets the model's reason, field and code.
            Assert.Equal(400, reply.Status);
            Assert.Equal("invalid_request_error", (string?)reply.Error?["type"]);
            Assert.Equal("context_length_exceeded", (string?)reply.Error?["code"]);
            Assert.Equal("messages", (string?)reply.Error?["param"]);
            Assert.Contains("maximum context length is 8192 tokens", (string?)reply.Error?["message"], StringComparison.Ordinal);
        }
        else
        {
            // A bot wrote its LLM's request: the refusal is the server's problem, not the client's.
            Assert.Equal(502, reply.Status);
            Assert.Equal("upstream_error", (string?)reply.Error?["code"]);
            Assert.DoesNotContain("maximum context length", reply.Body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Complete_UpstreamRefusalQuotesAKey_ThePassedReasonHasItMasked(bool stream)
    {
        var refusal = """{"error": {"message": "Invalid value for 'user': KEY is not allowed.", "type": "invalid_request_error", "param": "user", "code": null}}"""
            .Replace("KEY", FaultyUpstream.UpstreamKey, StringComparison.Ordinal);
        _faulty.Upstream.Enqueue(ServerStep.Raw(422, refusal, "application/json"));

        var reply = await _faulty.PostAsync(UpstreamGateway.Model, stream);

        Assert.Equal(400, reply.Status);
        Assert.Equal("upstream_refused", (string?)reply.Error?["code"]);
        Assert.Equal("user", (string?)reply.Error?["param"]);
        Assert.Contains("Invalid value for 'user': *** is not allowed.", (string?)reply.Error?["message"], StringComparison.Ordinal);
        Assert.DoesNotContain(FaultyUpstream.UpstreamKey, reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Complete_UpstreamHangs_FailsWithinItsDeadline(string model, bool stream)
    {
        _faulty.Upstream.Enqueue(ServerStep.Hang(), ServerStep.Hang());

        var reply = await _faulty.PostAsync(model, stream);

        // Not streaming: the retry deadline (502). Streaming: the idle limit comes first (504).
        Assert.Equal(stream ? 504 : 502, reply.Status);
        Assert.Equal(stream ? "stream_timeout" : "upstream_error", (string?)reply.Error?["code"]);
        Assert.InRange(reply.Elapsed, TimeSpan.Zero, FaultyUpstream.Deadline + FaultyUpstream.Slack);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Complete_SlowChunksWithinTheIdleLimit_Succeeds(string model, bool stream)
    {
        _faulty.Upstream.Enqueue(ServerStep.Reply("slow but steady words", TimeSpan.FromMilliseconds(150)));

        var reply = await _faulty.PostAsync(model, stream);

        Assert.Equal(200, reply.Status);
        Assert.Contains("slow but steady words", stream ? reply.StreamedText : reply.Body, StringComparison.Ordinal);
        if (stream)
        {
            Assert.Equal("[DONE]", reply.Events[^1]);
        }
    }

    [Theory]
    [InlineData(UpstreamGateway.Model)]
    [InlineData("shop")]
    public async Task CompleteStreaming_UpstreamCutMidStream_SendsErrorEventThenDone(string model)
    {
        _faulty.Upstream.Enqueue(ServerStep.CutStreamAfter(3));

        var reply = await _faulty.PostAsync(model, stream: true);

        Assert.Equal(200, reply.Status);
        Assert.StartsWith("one two", reply.StreamedText.Trim(), StringComparison.Ordinal);
        Assert.Equal("[DONE]", reply.Events[^1]);
        Assert.Equal("upstream_error", (string?)reply.Error?["code"]);
        Assert.Equal("server_error", (string?)reply.Error?["type"]);
    }

    [Theory]
    [InlineData(UpstreamGateway.Model)]
    [InlineData("shop")]
    public async Task Complete_UpstreamCutMidReply_Returns502(string model)
    {
        _faulty.Upstream.Enqueue(ServerStep.CutStreamAfter(3), ServerStep.CutStreamAfter(3));

        var reply = await _faulty.PostAsync(model, stream: false);

        Assert.Equal(502, reply.Status);
        Assert.Equal("upstream_error", (string?)reply.Error?["code"]);
    }

    [Theory]
    [InlineData(UpstreamGateway.Model)]
    [InlineData("shop")]
    public async Task CompleteStreaming_UpstreamStallsMidStream_CutAtTheIdleLimitWithErrorEventThenDone(string model)
    {
        _faulty.Upstream.Enqueue(ServerStep.StallAfter(3));

        var reply = await _faulty.PostAsync(model, stream: true);

        Assert.Equal(200, reply.Status);
        Assert.StartsWith("one two", reply.StreamedText.Trim(), StringComparison.Ordinal);
        Assert.Equal("stream_timeout", (string?)reply.Error?["code"]);
        Assert.Equal("[DONE]", reply.Events[^1]);
        Assert.InRange(reply.Elapsed, FaultyUpstream.StreamIdleTimeout, FaultyUpstream.StreamIdleTimeout + FaultyUpstream.Slack);
    }

    [Theory]
    [InlineData(UpstreamGateway.Model)]
    [InlineData("shop")]
    public async Task CompleteStreaming_StreamNeverEnds_CutAtTheStreamLimitWithErrorEventThenDone(string model)
    {
        _faulty.Upstream.Enqueue(ServerStep.Endless(TimeSpan.FromMilliseconds(100)));

        var reply = await _faulty.PostAsync(model, stream: true);

        Assert.True(reply.Status == 200, reply.Body);
        Assert.NotEmpty(reply.StreamedText);
        Assert.Equal("stream_timeout", (string?)reply.Error?["code"]);
        Assert.Contains("5 s", (string?)reply.Error?["message"], StringComparison.Ordinal);
        Assert.Equal("[DONE]", reply.Events[^1]);
        Assert.InRange(reply.Elapsed, FaultyUpstream.StreamTimeout, FaultyUpstream.StreamTimeout + FaultyUpstream.Slack);
    }
}
