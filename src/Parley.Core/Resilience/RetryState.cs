using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Parley.Core.Resilience;

/// <summary>
/// What one call through a <see cref="RetryPipeline"/> has seen: attempts, elapsed time, the last transient failure,
/// and why it ends. The Polly pipeline asks it whether to retry and how long to wait; it never waits itself.
/// </summary>
internal sealed class RetryState
{
    public static readonly ResiliencePropertyKey<RetryState> Key = new("Parley.Resilience.RetryState");

    private readonly RetryOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationToken _callerToken;
    private readonly long _started;
    private TransientFailure? _lastFailure;
    private Exception? _judged;
    private (int? StatusCode, string Reason, bool Transient)? _giveUp;
    private bool _attemptCut;
    private ExceptionDispatchInfo? _callbackFailure;

    public RetryState(RetryOptions options, ILogger logger, CancellationToken callerToken)
    {
        _options = options;
        _logger = logger;
        _callerToken = callerToken;
        _started = options.TimeProvider.GetTimestamp();
    }

    /// <summary>The caller's token: its cancellation ends the call and is never retried.</summary>
    public CancellationToken CallerToken => _callerToken;

    public int Attempt { get; private set; }

    /// <summary>The wait before the next attempt, set when <see cref="ShouldRetry"/> said yes.</summary>
    public TimeSpan NextDelay { get; private set; }

    public TimeSpan Elapsed => _options.TimeProvider.GetElapsedTime(_started);

    private TimeSpan Remaining => _options.Deadline == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : _options.Deadline - Elapsed;

    private bool DeadlinePassed => (_attemptCut && !_callerToken.IsCancellationRequested) || Remaining <= TimeSpan.Zero;

    public void BeginAttempt() => Attempt++;

    /// <summary>The attempt failed while its token was cancelled: by the caller or by the deadline.</summary>
    public void AttemptCut() => _attemptCut = true;

    /// <summary>Polly's <c>ShouldHandle</c>: whether <paramref name="failure"/> is retried; if so, <see cref="NextDelay"/> says when.</summary>
    public bool ShouldRetry(Exception? failure)
    {
        if (failure is null || _callerToken.IsCancellationRequested || DeadlinePassed || failure is ArgumentException)
        {
            // Success; the caller's cancellation; the deadline; a mistake in the request the caller built.
            return false;
        }

        _judged = failure;
        var transient = _options.Classifier(failure);
        if (transient is null)
        {
            var final = _options.Describer(failure);
            return GiveUpWith(final.StatusCode, final.Reason, transient: false);
        }

        _lastFailure = transient;
        if (Attempt >= _options.MaxAttempts)
        {
            return GiveUpWith(transient.StatusCode, transient.Reason);
        }

        var remaining = Remaining;
        if (transient.RetryAfter is { } retryAfter)
        {
            if (retryAfter >= remaining)
            {
                return GiveUpWith(
                    transient.StatusCode,
                    $"{transient.Reason}; it asked to retry after {FailureText.Seconds(retryAfter)} s, beyond the {FailureText.Seconds(_options.Deadline)} s deadline ({FailureText.Seconds(remaining)} s left)");
            }

            NextDelay = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter;
        }
        else
        {
            NextDelay = RetryBackoff.Delay(_options, Attempt);
            if (NextDelay >= remaining)
            {
                return GiveUpWith(
                    transient.StatusCode,
                    $"{transient.Reason}; the next retry, in {FailureText.Seconds(NextDelay)} s, would pass the {FailureText.Seconds(_options.Deadline)} s deadline");
            }
        }

        _giveUp = null;
        return true;
    }

    /// <summary>Polly's <c>OnRetry</c>: the log line and <see cref="RetryOptions.OnRetry"/>.</summary>
    public void OnRetry()
    {
        RetryLog.Retrying(_logger, Attempt, _options.MaxAttempts, _lastFailure!.Reason, (long)NextDelay.TotalMilliseconds);
        try
        {
            _options.OnRetry?.Invoke(new RetryEvent(Attempt, _lastFailure, NextDelay, Elapsed));
        }
        catch (Exception ex)
        {
            // It ends the call as it is, not as a failure of the endpoint.
            _callbackFailure = ExceptionDispatchInfo.Capture(ex);
            throw;
        }
    }

    /// <summary>The exception to throw when the pipeline ended with <paramref name="failure"/>.</summary>
    public Exception Fail(Exception failure)
    {
        if (_callbackFailure is { } callback && ReferenceEquals(callback.SourceException, failure))
        {
            callback.Throw();
        }

        ThrowIfCallerCancelled(failure);
        if (failure is TimeoutRejectedException || DeadlinePassed)
        {
            var cut = failure is TimeoutRejectedException { InnerException: { } attempt } ? attempt : failure;
            return GiveUp(FailedMessage(DeadlineReason()), DeadlineReason(), _lastFailure?.StatusCode, transient: true, cut);
        }

        if (failure is ArgumentException)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        if (!ReferenceEquals(_judged, failure))
        {
            // No retry strategy asked (MaxAttempts is 1).
            ShouldRetry(failure);
        }

        var (statusCode, reason, transient) = _giveUp ?? (_lastFailure?.StatusCode, _lastFailure?.Reason ?? FailureText.Exception(failure), true);
        return GiveUp(FailedMessage(reason), reason, statusCode, transient, failure);
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
            reason,
            statusCode,
            transient is not null,
            failure);
    }

    private bool GiveUpWith(int? statusCode, string reason, bool transient = true)
    {
        _giveUp = (statusCode, reason, transient);
        return false;
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

    private string FailedMessage(string reason) =>
        $"The model endpoint failed after {FailureText.Attempts(Attempt)} in {FailureText.Seconds(Elapsed)} s: {Sentence(reason)}";

    private string DeadlineReason() => _lastFailure is null
        ? $"the deadline of {FailureText.Seconds(_options.Deadline)} s expired while waiting for a response"
        : $"the deadline of {FailureText.Seconds(_options.Deadline)} s expired (last error: {_lastFailure.Reason.TrimEnd('.')})";

    private UpstreamException GiveUp(string message, string reason, int? statusCode, bool transient, Exception failure)
    {
        RetryLog.GaveUp(_logger, message);
        return new UpstreamException(message, statusCode, Attempt, Elapsed, failure)
        {
            Reason = reason,
            Transient = transient,
            RetryAfter = _lastFailure is { } last && last.StatusCode == statusCode ? last.RetryAfter : null,
        };
    }

    private static string Sentence(string text) => text.TrimEnd().TrimEnd('.') + ".";
}
