using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Parley.Core.Resilience;

/// <summary>The state of one call through <see cref="RetryingChatClient"/>: attempts, clock, deadline, last failure.</summary>
internal sealed class RetryCall : IDisposable
{
    private readonly RetryOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _linked;
    private readonly long _started;
    private TransientFailure? _lastFailure;

    public RetryCall(RetryOptions options, ILogger logger, CancellationToken callerToken)
    {
        _options = options;
        _logger = logger;
        _callerToken = callerToken;
        _started = options.TimeProvider.GetTimestamp();
        _deadline = new CancellationTokenSource(options.Deadline, options.TimeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _deadline.Token);
    }

    /// <summary>Cancelled when the caller cancels or the deadline passes; passed to every attempt and wait.</summary>
    public CancellationToken Token => _linked.Token;

    public int Attempt { get; private set; }

    private TimeSpan Elapsed => _options.TimeProvider.GetElapsedTime(_started);

    private TimeSpan Remaining => _options.Deadline == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : _options.Deadline - Elapsed;

    private bool DeadlinePassed => _deadline.IsCancellationRequested || Remaining <= TimeSpan.Zero;

    public void BeginAttempt() => Attempt++;

    /// <summary>A stream has started: from now on only the caller ends it, so the deadline stops applying.</summary>
    public void ReleaseDeadline() => _deadline.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>Waits before the next attempt, or throws when the failure is final.</summary>
    public async Task HandleFailureAsync(Exception failure)
    {
        ThrowIfCallerCancelled(failure);
        if (DeadlinePassed)
        {
            throw GiveUp(DeadlineExpiredMessage(), _lastFailure?.StatusCode, failure);
        }

        if (failure is ArgumentException)
        {
            // A mistake in the request the caller built, not a failure of the endpoint.
            ExceptionDispatchInfo.Throw(failure);
        }

        var transient = _options.Classifier(failure);
        if (transient is null)
        {
            var final = _options.Describer(failure);
            throw GiveUp(FailedMessage(final.Reason), final.StatusCode, failure);
        }

        _lastFailure = transient;
        if (Attempt >= _options.MaxAttempts)
        {
            throw GiveUp(FailedMessage(transient.Reason), transient.StatusCode, failure);
        }

        var remaining = Remaining;
        TimeSpan delay;
        if (transient.RetryAfter is { } retryAfter)
        {
            if (retryAfter >= remaining)
            {
                throw GiveUp(
                    FailedMessage($"{transient.Reason}; it asked to retry after {FailureText.Seconds(retryAfter)} s, beyond the {FailureText.Seconds(_options.Deadline)} s deadline ({FailureText.Seconds(remaining)} s left)"),
                    transient.StatusCode,
                    failure);
            }

            delay = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter;
        }
        else
        {
            delay = NextBackoff();
            if (delay >= remaining)
            {
                throw GiveUp(
                    FailedMessage($"{transient.Reason}; the next retry, in {FailureText.Seconds(delay)} s, would pass the {FailureText.Seconds(_options.Deadline)} s deadline"),
                    transient.StatusCode,
                    failure);
            }
        }

        RetryLog.Retrying(_logger, Attempt, _options.MaxAttempts, transient.Reason, (long)delay.TotalMilliseconds);
        _options.OnRetry?.Invoke(new RetryEvent(Attempt, transient, delay, Elapsed));
        try
        {
            await Task.Delay(delay, _options.TimeProvider, Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            ThrowIfCallerCancelled(ex);
            throw GiveUp(DeadlineExpiredMessage(), transient.StatusCode, failure);
        }
    }

    /// <summary>The exception to throw when a stream fails after its first update reached the caller.</summary>
    public Exception StreamBroke(Exception failure, int updatesReceived)
    {
        ThrowIfCallerCancelled(failure);
        var transient = _options.Classifier(failure);
        var (statusCode, reason) = transient is not null
            ? (transient.StatusCode, transient.Reason)
            : _options.Describer(failure) is var final ? (final.StatusCode, final.Reason) : default;
        return GiveUp(
            $"The model endpoint's stream broke after {updatesReceived} {(updatesReceived == 1 ? "update" : "updates")} had reached the caller ({FailureText.Seconds(Elapsed)} s): {Sentence(reason)} A response that has started is not retried.",
            statusCode,
            failure);
    }

    public void Dispose()
    {
        _linked.Dispose();
        _deadline.Dispose();
    }

    private void ThrowIfCallerCancelled(Exception failure)
    {
        if (!_callerToken.IsCancellationRequested)
        {
            return;
        }

        if (failure is OperationCanceledException canceled && canceled.CancellationToken == _callerToken)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        // Name the caller's own token, so that `catch (OperationCanceledException e) when (e.CancellationToken == token)` works.
        throw new OperationCanceledException("The call to the model endpoint was cancelled.", failure, _callerToken);
    }

    private TimeSpan NextBackoff()
    {
        var exponential = _options.InitialDelay.TotalMilliseconds * Math.Pow(2, Attempt - 1);
        var capped = Math.Min(exponential, _options.MaxDelay.TotalMilliseconds);
        double sample;
        if (_options.Random is { } random)
        {
            lock (random)
            {
                sample = random.NextDouble();
            }
        }
        else
        {
            sample = Random.Shared.NextDouble();
        }

        var jittered = capped * (1 + (_options.JitterFactor * ((2 * sample) - 1)));
        return TimeSpan.FromMilliseconds(Math.Clamp(jittered, 0, _options.MaxDelay.TotalMilliseconds));
    }

    private string FailedMessage(string reason) =>
        $"The model endpoint failed after {FailureText.Attempts(Attempt)} in {FailureText.Seconds(Elapsed)} s: {Sentence(reason)}";

    private string DeadlineExpiredMessage() =>
        FailedMessage(_lastFailure is null
            ? $"the deadline of {FailureText.Seconds(_options.Deadline)} s expired while waiting for a response"
            : $"the deadline of {FailureText.Seconds(_options.Deadline)} s expired (last error: {_lastFailure.Reason.TrimEnd('.')})");

    private UpstreamException GiveUp(string message, int? statusCode, Exception failure)
    {
        RetryLog.GaveUp(_logger, message);
        return new UpstreamException(message, statusCode, Attempt, Elapsed, failure) 
        {
            RetryAfter = _lastFailure is { } last && last.StatusCode == statusCode ? last.RetryAfter : null,
        };
    }

    private static string Sentence(string text) => text.TrimEnd().TrimEnd('.') + ".";
}
