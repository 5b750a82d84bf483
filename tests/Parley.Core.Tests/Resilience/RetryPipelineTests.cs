using Microsoft.Extensions.Time.Testing;
using Parley.Core.Resilience;
using Parley.Testing;
using static Parley.Core.Tests.Resilience.RetryTestHelpers;

namespace Parley.Core.Tests.Resilience;

public sealed class RetryPipelineTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<RetryEvent> _retries = [];
    private int _attempts;

    private ValueTask<string> FailWith(Exception failure)
    {
        _attempts++;
        return ValueTask.FromException<string>(failure);
    }

    private RetryOptions RateLimited(TimeSpan retryAfter)
    {
        var options = Options(_time, _retries);
        options.Classifier = e => TransientFailure.Classify(e) is { } f ? f with { RetryAfter = retryAfter } : null;
        return options;
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterLongerThanMaxDelay_IsHonouredInFull()
    {
        var options = RateLimited(TimeSpan.FromSeconds(20));
        options.MaxDelay = TimeSpan.FromSeconds(1);
        var pipeline = new RetryPipeline(options);
        var started = _time.GetTimestamp();

        var result = await FakeClock.DriveAsync(_time, () => pipeline.ExecuteAsync(_ => ++_attempts == 1 ? ValueTask.FromException<string>(Http(429)) : ValueTask.FromResult("ok")),
            limit: TimeSpan.FromSeconds(20));

        Assert.Equal("ok", result);
        Assert.Equal(2, _attempts);
        Assert.Equal(TimeSpan.FromSeconds(20), Assert.Single(_retries).Delay);
        Assert.Equal(TimeSpan.FromSeconds(20), _time.GetElapsedTime(started));
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterBeyondTheTimeLeft_GivesUpAtOnceSayingSo()
    {
        var options = RateLimited(TimeSpan.FromSeconds(6));
        options.Deadline = TimeSpan.FromSeconds(10);
        var pipeline = new RetryPipeline(options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => pipeline.ExecuteAsync(_ => FailWith(Http(429)))));

        // The first wait fits (6 s of 10); the second would end at 12 s, so it is not even started.
        Assert.Equal(2, _attempts);
        Assert.Equal(TimeSpan.FromSeconds(6), Assert.Single(_retries).Delay);
        Assert.Equal(TimeSpan.FromSeconds(6), error.Elapsed);
        Assert.Equal(
            "The model endpoint failed after 2 attempts in 6 s: HTTP 429 Too Many Requests; it asked to retry after 6 s, beyond the 10 s deadline (4 s left).",
            error.Message);
        Assert.Equal("HTTP 429 Too Many Requests; it asked to retry after 6 s, beyond the 10 s deadline (4 s left)", error.Reason);
        Assert.True(error.Transient);
        Assert.Equal(TimeSpan.FromSeconds(6), error.RetryAfter);
    }

    [Fact]
    public async Task ExecuteAsync_Jitter_StaysWithinItsBoundsAndIsWhatThePipelineWaits()
    {
        var options = Options(_time, _retries);
        options.MaxAttempts = 12;
        options.InitialDelay = TimeSpan.FromSeconds(1);
        options.MaxDelay = TimeSpan.FromSeconds(4);
        options.JitterFactor = 0.5;
        options.Deadline = Timeout.InfiniteTimeSpan;
        options.Random = new Random(5);
        var pipeline = new RetryPipeline(options);
        var started = _time.GetTimestamp();

        await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => pipeline.ExecuteAsync(_ => FailWith(Http(503)))));

        var delays = _retries.Select(r => r.Delay.TotalSeconds).ToArray();
        Assert.Equal(11, delays.Length);
        for (var i = 0; i < delays.Length; i++)
        {
            var nominal = Math.Min(4, Math.Pow(2, i));
            Assert.InRange(delays[i], nominal * 0.5, Math.Min(4, nominal * 1.5));
        }

        Assert.True(delays.Distinct().Count() > 3, string.Join(", ", delays));
        // The fake clock moves in 0.1 s steps, so each wait may end up to one step late.
        var waited = _time.GetElapsedTime(started).TotalSeconds;
        Assert.InRange(waited, delays.Sum(), delays.Sum() + (0.1 * delays.Length));
    }

    [Fact]
    public async Task ExecuteAsync_SingleAttempt_FailsAtOnceNamingTheTransientFailure()
    {
        var options = Options(_time, _retries);
        options.MaxAttempts = 1;
        var pipeline = new RetryPipeline(options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => pipeline.ExecuteAsync(_ => FailWith(Http(503))));

        Assert.Equal(1, _attempts);
        Assert.Empty(_retries);
        Assert.Equal("The model endpoint failed after 1 attempt in 0 s: HTTP 503 Service Unavailable.", error.Message);
        Assert.Equal("HTTP 503 Service Unavailable", error.Reason);
        Assert.True(error.Transient);
    }

    [Fact]
    public async Task ExecuteAsync_Refused_IsNotTransient()
    {
        var pipeline = new RetryPipeline(Options(_time, _retries));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => pipeline.ExecuteAsync(_ => FailWith(Http(404))));

        Assert.Equal(1, _attempts);
        Assert.Equal("HTTP 404 Not Found", error.Reason);
        Assert.False(error.Transient);
        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task ExecuteAsync_DeadlineDuringAnAttempt_CancelsItsTokenAndIsTransient()
    {
        var options = Options(_time, _retries);
        options.Deadline = TimeSpan.FromSeconds(3);
        var pipeline = new RetryPipeline(options);
        var cut = false;

        var error = await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => pipeline.ExecuteAsync(async token =>
        {
            _attempts++;
            using var registration = token.Register(() => cut = true);
            return await HangAsync(_time, token);
        })));

        Assert.True(cut);
        Assert.Equal(1, _attempts);
        Assert.Equal("the deadline of 3 s expired while waiting for a response", error.Reason);
        Assert.True(error.Transient);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
    }

    [Fact]
    public async Task ExecuteAsync_OnRetryThrows_EndsTheCallWithThatException()
    {
        var options = Options(_time);
        options.OnRetry = _ => throw new InvalidOperationException("stop here");
        var pipeline = new RetryPipeline(options);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(_ => FailWith(Http(503))));

        Assert.Equal("stop here", error.Message);
        Assert.Equal(1, _attempts);
    }
}
