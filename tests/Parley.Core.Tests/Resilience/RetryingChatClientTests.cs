using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Resilience;
using Parley.Testing;
using static Parley.Core.Tests.Resilience.RetryTestHelpers;

namespace Parley.Core.Tests.Resilience;

public sealed class RetryingChatClientTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<RetryEvent> _retries = [];

    [Fact]
    public async Task GetResponseAsync_TransientFailuresThenSuccess_RetriesAndReturnsResponse()
    {
        var inner = new TestChatClient();
        inner.GetResponseAsyncCallback = (_, _, _) => inner.ResponseCalls < 3 ? Task.FromException<ChatResponse>(Http(503)) : Ok("finally");
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var response = await FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi"));

        Assert.Equal("finally", response.Text);
        Assert.Equal(3, inner.ResponseCalls);
        Assert.Equal([1, 2], _retries.Select(r => r.Attempt));
        Assert.All(_retries, r => Assert.Equal("HTTP 503 Service Unavailable", r.Failure.Reason));
    }

    [Theory]
    [InlineData(400, "HTTP 400 Bad Request")]
    [InlineData(401, "HTTP 401 Unauthorized")]
    [InlineData(404, "HTTP 404 Not Found")]
    public async Task GetResponseAsync_NonTransientStatus_FailsAtOnceWithStatus(int status, string expected)
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(status)) };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(1, inner.ResponseCalls);
        Assert.Empty(_retries);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Equal($"The model endpoint failed after 1 attempt in 0 s: {expected}.", error.Message);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task GetResponseAsync_UnknownException_FailsAtOnceWithTypeAndMessage()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new FormatException("Bad JSON\nat line 3.") };
        var client = new RetryingChatClient(inner, Options(_time));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(1, inner.ResponseCalls);
        Assert.Null(error.StatusCode);
        Assert.EndsWith(": FormatException: Bad JSON at line 3.", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_AttemptsExhausted_ThrowsWithCountElapsedAndLastReason()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(500)) };
        var options = Options(_time, _retries);
        options.MaxAttempts = 3;
        options.JitterFactor = 0;
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(50)));

        Assert.Equal(3, inner.ResponseCalls);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1.5), error.Elapsed);
        Assert.Equal("The model endpoint failed after 3 attempts in 1.5 s: HTTP 500 Internal Server Error.", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterWithinDeadline_WaitsWhatTheServerAsked()
    {
        var inner = new TestChatClient();
        inner.GetResponseAsyncCallback = (_, _, _) => inner.ResponseCalls == 1 ? Task.FromException<ChatResponse>(Http(429)) : Ok();
        var options = Options(_time, _retries);
        options.Classifier = e => TransientFailure.Classify(e) is { } f ? f with { RetryAfter = TimeSpan.FromSeconds(7) } : null;
        var client = new RetryingChatClient(inner, options);
        var started = _time.GetTimestamp();

        await FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi"), limit: TimeSpan.FromSeconds(7));

        Assert.Equal(2, inner.ResponseCalls);
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(_retries).Delay);
        Assert.Equal(TimeSpan.FromSeconds(7), _time.GetElapsedTime(started));
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterBeyondDeadline_CarriesTheWaitOnTheException()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(429)) };
        var options = Options(_time, _retries);
        options.Classifier = e => TransientFailure.ForStatus(429, TimeSpan.FromSeconds(120));
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_FinalFailureOtherThanTheRateLimit_CarriesNoWait()
    {
        var inner = new TestChatClient();
        inner.GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(inner.ResponseCalls == 1 ? 429 : 401));
        var options = Options(_time, _retries);
        options.Classifier = e => e is HttpRequestException { StatusCode: System.Net.HttpStatusCode.TooManyRequests } ? TransientFailure.ForStatus(429, TimeSpan.Zero) : null;
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(401, error.StatusCode);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterBeyondDeadline_FailsAtOnceSayingSo()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(429)) };
        var options = Options(_time, _retries);
        options.Classifier = e => TransientFailure.ForStatus(429, TimeSpan.FromSeconds(120));
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(1, inner.ResponseCalls);
        Assert.Empty(_retries);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(
            "The model endpoint failed after 1 attempt in 0 s: HTTP 429 Too Many Requests; it asked to retry after 120 s, beyond the 60 s deadline (60 s left).",
            error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_DeadlinePassesDuringAttempt_CancelsAttemptAndFails()
    {
        var attemptCancelled = false;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, token) =>
            {
                try
                {
                    return await HangAsync(_time, token);
                }
                catch (OperationCanceledException)
                {
                    attemptCancelled = token.IsCancellationRequested;
                    throw;
                }
            },
        };
        var options = Options(_time, _retries);
        options.Deadline = TimeSpan.FromSeconds(5);
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(
            () => FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi"), limit: TimeSpan.FromSeconds(5)));

        Assert.True(attemptCancelled);
        Assert.Equal(1, inner.ResponseCalls);
        Assert.Equal(TimeSpan.FromSeconds(5), error.Elapsed);
        Assert.Equal("The model endpoint failed after 1 attempt in 5 s: the deadline of 5 s expired while waiting for a response.", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_DeadlinePassesAcrossRetries_FailsNamingTheLastError()
    {
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, token) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(2), _time, token);
                throw Http(502);
            },
        };
        var options = Options(_time, _retries);
        options.Deadline = TimeSpan.FromSeconds(5);
        options.MaxAttempts = 10;
        options.InitialDelay = TimeSpan.FromMilliseconds(200);
        options.JitterFactor = 0;
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(50)));

        // 2 s attempt, 0.2 s wait, 2 s attempt, 0.4 s wait, then the third attempt is cut at 5 s.
        Assert.Equal(3, inner.ResponseCalls);
        Assert.Equal(502, error.StatusCode);
        Assert.Matches(
            @"^The model endpoint failed after 3 attempts in 5(\.\d)? s: the deadline of 5 s expired \(last error: HTTP 502 Bad Gateway\)\.$",
            error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_BackoffWouldPassDeadline_FailsWithoutWaiting()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(503)) };
        var options = Options(_time, _retries);
        options.Deadline = TimeSpan.FromSeconds(3);
        options.InitialDelay = TimeSpan.FromSeconds(2);
        options.JitterFactor = 0;
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi")));

        Assert.Equal(2, inner.ResponseCalls);
        Assert.Equal(TimeSpan.FromSeconds(2), error.Elapsed);
        Assert.Equal(
            "The model endpoint failed after 2 attempts in 2 s: HTTP 503 Service Unavailable; the next retry, in 4 s, would pass the 3 s deadline.",
            error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancelsDuringAttempt_ThrowsOperationCanceledWithoutRetry()
    {
        using var cts = new CancellationTokenSource();
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, token) => HangAsync(_time, token) };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var call = client.GetResponseAsync("hi", cancellationToken: cts.Token);
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(1, inner.ResponseCalls);
        Assert.Empty(_retries);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancelsDuringBackoff_ThrowsOperationCanceledWithoutRetry()
    {
        using var cts = new CancellationTokenSource();
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(503)) };
        var options = Options(_time, _retries);
        options.OnRetry = _ => cts.Cancel();
        var client = new RetryingChatClient(inner, options);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: cts.Token));

        Assert.Equal(1, inner.ResponseCalls);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancelledAndInnerThrowsOtherError_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                cts.Cancel();
                return Task.FromException<ChatResponse>(new IOException("connection closed by cancellation"));
            },
        };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: cts.Token));

        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(1, inner.ResponseCalls);
    }

    [Fact]
    public async Task GetResponseAsync_TimeoutNotCausedByCaller_IsRetried()
    {
        var inner = new TestChatClient();
        inner.GetResponseAsyncCallback = (_, _, _) => inner.ResponseCalls == 1 ? Task.FromException<ChatResponse>(new TaskCanceledException("HTTP timeout")) : Ok();
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var response = await FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi"));

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, inner.ResponseCalls);
        Assert.StartsWith("TaskCanceledException", Assert.Single(_retries).Failure.Reason);
    }

    [Fact]
    public async Task GetResponseAsync_Backoff_DoublesUpToMaxDelay()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(503)) };
        var options = Options(_time, _retries);
        options.MaxAttempts = 6;
        options.MaxDelay = TimeSpan.FromSeconds(3);
        options.JitterFactor = 0;
        var client = new RetryingChatClient(inner, options);

        await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi")));

        Assert.Equal([0.5, 1, 2, 3, 3], _retries.Select(r => r.Delay.TotalSeconds));
        Assert.Equal(6, inner.ResponseCalls);
    }

    [Fact]
    public async Task GetResponseAsync_Jitter_StaysWithinFactorAndRepeatsWithTheSameSeed()
    {
        async Task<double[]> DelaysAsync(int seed)
        {
            var time = new FakeTimeProvider();
            var retries = new List<RetryEvent>();
            var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(503)) };
            var options = Options(time, retries);
            options.Random = new Random(seed);
            options.MaxAttempts = 5;
            options.InitialDelay = TimeSpan.FromSeconds(1);
            options.MaxDelay = TimeSpan.FromSeconds(100);
            await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(time, () => new RetryingChatClient(inner, options).GetResponseAsync("hi"), TimeSpan.FromMilliseconds(250)));
            return [.. retries.Select(r => r.Delay.TotalSeconds)];
        }

        var first = await DelaysAsync(seed: 7);
        var again = await DelaysAsync(seed: 7);
        var other = await DelaysAsync(seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        double[] bases = [1, 2, 4, 8];
        Assert.Equal(bases.Length, first.Length);
        for (var i = 0; i < bases.Length; i++)
        {
            Assert.InRange(first[i], bases[i] * 0.75, bases[i] * 1.25);
        }

        Assert.Contains(first.Zip(bases), pair => pair.First != pair.Second);
    }

    [Fact]
    public async Task GetResponseAsync_LazyMessageSequence_SendsTheSameMessagesOnRetry()
    {
        var seen = new List<string>();
        var inner = new TestChatClient();
        inner.GetResponseAsyncCallback = (messages, _, _) =>
        {
            seen.Add(string.Join("|", messages.Select(m => m.Text)));
            return inner.ResponseCalls == 1 ? Task.FromException<ChatResponse>(new IOException("reset")) : Ok();
        };
        var client = new RetryingChatClient(inner, Options(_time));
        var produced = 0;
        IEnumerable<ChatMessage> History()
        {
            produced++;
            yield return new ChatMessage(ChatRole.User, "a");
            yield return new ChatMessage(ChatRole.User, "b");
        }

        await FakeClock.DriveAsync(_time, () => client.GetResponseAsync(History()));

        Assert.Equal(["a|b", "a|b"], seen);
        Assert.Equal(1, produced);
    }

    [Fact]
    public async Task GetResponseAsync_Retries_AreLoggedWithoutMessageContent()
    {
        var logger = new ListLogger();
        var inner = new TestChatClient();
        inner.GetResponseAsyncCallback = (_, _, _) => inner.ResponseCalls == 1 ? Task.FromException<ChatResponse>(Http(503)) : Ok();
        var client = new RetryingChatClient(inner, Options(_time), logger);

        await FakeClock.DriveAsync(_time, () => client.GetResponseAsync("my secret question"));

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
        Assert.Contains("attempt 1 of 4 failed (HTTP 503 Service Unavailable)", entry.Message);
        Assert.DoesNotContain("secret", entry.Message);
    }

    [Fact]
    public async Task GetResponseAsync_ArgumentException_IsRethrownAsIs()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new ArgumentException("bad tool schema") };
        var client = new RetryingChatClient(inner, Options(_time));

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi"));
        Assert.Equal(1, inner.ResponseCalls);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => new RetryingChatClient(new TestChatClient(), new RetryOptions { MaxAttempts = 0 }));

        Assert.Contains("MaxAttempts must be at least 1", error.Message);
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_AreNotSeen()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(Http(503)) };
        var options = Options(_time);
        options.MaxAttempts = 2;
        var client = new RetryingChatClient(inner, options);
        options.MaxAttempts = 5;

        await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi")));

        Assert.Equal(2, inner.ResponseCalls);
    }
}
