using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Resilience;
using Parley.Testing;
using static Parley.Core.Tests.Resilience.RetryTestHelpers;

namespace Parley.Core.Tests.Resilience;

public sealed class RetryingChatClientStreamingTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<RetryEvent> _retries = [];
    private readonly List<string> _received = [];

    private async Task<int> ReadAllAsync(IChatClient client, CancellationToken cancellationToken = default)
    {
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cancellationToken))
        {
            _received.Add(update.Text);
        }

        return _received.Count;
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailureBeforeFirstUpdate_IsRetried()
    {
        var inner = new TestChatClient();
        inner.GetStreamingResponseAsyncCallback = (_, _, token) => inner.StreamingCalls == 1
            ? TestChatClient.Updates([], new IOException("connection reset"), token)
            : TestChatClient.Updates(["a", "b"], cancellationToken: token);
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        await FakeClock.DriveAsync(_time, () => ReadAllAsync(client));

        Assert.Equal(["a", "b"], _received);
        Assert.Equal(2, inner.StreamingCalls);
        Assert.Single(_retries);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailureWhenStarting_IsRetried()
    {
        var inner = new TestChatClient();
        inner.GetStreamingResponseAsyncCallback = (_, _, token) => inner.StreamingCalls == 1
            ? throw Http(503)
            : TestChatClient.Updates(["x"], cancellationToken: token);
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        await FakeClock.DriveAsync(_time, () => ReadAllAsync(client));

        Assert.Equal(["x"], _received);
        Assert.Equal(2, inner.StreamingCalls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailureAfterFirstUpdate_IsNotRetriedAndIsWrapped()
    {
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => TestChatClient.Updates(["Hello", " wor"], new IOException("connection reset"), token),
        };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => ReadAllAsync(client)));

        Assert.Equal(["Hello", " wor"], _received);
        Assert.Equal(1, inner.StreamingCalls);
        Assert.Empty(_retries);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(1, error.Attempts);
        Assert.StartsWith("The model endpoint's stream broke after 2 updates had reached the caller", error.Message);
        Assert.Contains("IOException: connection reset. A response that has started is not retried.", error.Message);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailureAfterOnlyEmptyUpdates_IsRetriedWithoutRepeatingThem()
    {
        var inner = new TestChatClient();
        inner.GetStreamingResponseAsyncCallback = (_, _, token) => inner.StreamingCalls == 1
            ? TestChatClient.Updates([string.Empty], new IOException("reset after the role chunk"), token)
            : TestChatClient.Updates([string.Empty, "fine"], cancellationToken: token);
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        await FakeClock.DriveAsync(_time, () => ReadAllAsync(client));

        Assert.Equal([string.Empty, "fine"], _received);
        Assert.Equal(2, inner.StreamingCalls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamWithOnlyEmptyUpdates_DeliversThem()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, token) => TestChatClient.Updates([string.Empty, string.Empty], cancellationToken: token) };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        await ReadAllAsync(client);

        Assert.Equal([string.Empty, string.Empty], _received);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_NonTransientFailure_FailsAtOnce()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => throw Http(401) };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => ReadAllAsync(client));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal(1, inner.StreamingCalls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelsMidStream_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, token) => EndlessAsync(token) };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                _received.Add(update.Text);
                if (_received.Count == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(3, _received.Count);
        Assert.Equal(1, inner.StreamingCalls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelsBeforeFirstUpdate_ThrowsOperationCanceledWithoutRetry()
    {
        using var cts = new CancellationTokenSource();
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => DelayedAsync(TimeSpan.FromHours(1), token),
        };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var reading = ReadAllAsync(client, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(1, inner.StreamingCalls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DeadlineBeforeFirstUpdate_Fails()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, token) => DelayedAsync(TimeSpan.FromHours(1), token) };
        var options = Options(_time, _retries);
        options.Deadline = TimeSpan.FromSeconds(2);
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => FakeClock.DriveAsync(_time, () => ReadAllAsync(client)));

        Assert.Contains("the deadline of 2 s expired while waiting for a response", error.Message);
        Assert.Empty(_received);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamOutlivesDeadlineAfterFirstUpdate_IsNotCut()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, token) => SlowAsync(["a", "b", "c"], TimeSpan.FromSeconds(2), token) };
        var options = Options(_time, _retries);
        options.Deadline = TimeSpan.FromSeconds(1);
        var client = new RetryingChatClient(inner, options);

        await FakeClock.DriveAsync(_time, () => ReadAllAsync(client));

        Assert.Equal(["a", "b", "c"], _received);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TransientFailureAfterFirstUpdate_IsNotRetriedThoughRetriesAndTimeAreLeft()
    {
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => TestChatClient.Updates([string.Empty, "Hello"], Http(503), token),
        };
        var client = new RetryingChatClient(inner, Options(_time, _retries));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => ReadAllAsync(client));

        Assert.Equal([string.Empty, "Hello"], _received);
        Assert.Equal(1, inner.StreamingCalls);
        Assert.Empty(_retries);
        Assert.Equal(503, error.StatusCode);
        Assert.True(error.Transient);
        Assert.Equal(
            "The model endpoint's stream broke after 2 updates had reached the caller (0 s): HTTP 503 Service Unavailable. A response that has started is not retried.",
            error.Message);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DeadlinePassesAsTheFirstUpdateArrives_FailsWithoutDeliveringIt()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, token) => LateFirstUpdateAsync(TimeSpan.FromSeconds(3), token) };
        var options = Options(_time, _retries);
        options.Deadline = TimeSpan.FromSeconds(2);
        var client = new RetryingChatClient(inner, options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => ReadAllAsync(client));

        Assert.Empty(_received);
        Assert.Equal(1, inner.StreamingCalls);
        Assert.Equal("the deadline of 2 s expired while waiting for a response", error.Reason);
    }

    /// <summary>Moves the clock past the deadline while producing its first update, as a slow endpoint would.</summary>
    private async IAsyncEnumerable<ChatResponseUpdate> LateFirstUpdateAsync(TimeSpan lateBy, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        _time.Advance(lateBy);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "too late");
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> EndlessAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            await Task.Delay(1, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"w{i} ");
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> DelayedAsync(TimeSpan delay, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(delay, _time, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "late");
    }

    private async IAsyncEnumerable<ChatResponseUpdate> SlowAsync(string[] pieces, TimeSpan gap, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                await Task.Delay(gap, _time, cancellationToken);
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, pieces[i]);
        }
    }
}
