using System.ClientModel;
using System.Net.Http;
using Parley.Core.Resilience;

namespace Parley.OpenAI.FineTuning;

/// <summary>
/// Runs one request of <see cref="FineTuningJobClient"/> with bounded retries inside a deadline, and turns the final
/// failure into a <see cref="FineTuningException"/> naming the endpoint.
/// </summary>
/// <remarks>
/// Requests that create something (upload, create, cancel) are retried only when the connection could not be made or
/// the server answered 429, because any other failure may come after the server acted on them.
/// </remarks>
internal sealed class FineTuningRetry(FineTuningJobClientOptions options)
{
    public async Task<T> RunAsync<T>(string what, bool idempotent, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var clock = options.TimeProvider;
        var started = clock.GetTimestamp();
        using var deadline = new CancellationTokenSource(options.Deadline, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        TransientFailure? last = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(linked.Token).ConfigureAwait(false);
            }
            catch (FineTuningException)
            {
                throw;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = clock.GetElapsedTime(started);
                if (deadline.IsCancellationRequested)
                {
                    throw GaveUp(what, attempt, elapsed, last ?? new TransientFailure(null, null, "no answer"), e, deadlinePassed: true);
                }

                var transient = OpenAITransientFailureClassifier.Classify(e, clock);
                if (transient is null || (!idempotent && !NotSent(e) && transient.StatusCode != 429))
                {
                    var failure = OpenAITransientFailureClassifier.Describe(e);
                    throw new FineTuningException($"{what} at {options.BaseUrl} failed: {failure.Reason}", failure.StatusCode, e);
                }

                last = transient;
                var delay = transient.RetryAfter ?? Backoff(attempt);
                if (attempt >= options.MaxAttempts || elapsed + delay >= options.Deadline)
                {
                    throw GaveUp(what, attempt, elapsed, transient, e, deadlinePassed: false);
                }

                try
                {
                    await Task.Delay(delay, clock, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw GaveUp(what, attempt, clock.GetElapsedTime(started), transient, e, deadlinePassed: true);
                }
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var milliseconds = options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, options.MaxRetryDelay.TotalMilliseconds));
    }

    private FineTuningException GaveUp(string what, int attempts, TimeSpan elapsed, TransientFailure last, Exception e, bool deadlinePassed)
    {
        var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
        var seconds = elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        // The server's own error message, when the last attempt got an answer.
        var reason = e is ClientResultException { Status: > 0 } ? OpenAITransientFailureClassifier.Describe(e).Reason : last.Reason;
        var why = deadlinePassed ? $"the {options.Deadline.TotalSeconds:0.#} s deadline passed; last error: {reason}" : reason;
        return last.StatusCode is null
            ? new FineTuningException(
                $"cannot reach the fine-tuning endpoint {options.BaseUrl} ({tries} in {seconds} s; {why}): check that the server is running there (a Parley server: 'parley serve') or give the right base URL",
                null,
                e)
            : new FineTuningException($"{what} at {options.BaseUrl} failed after {tries} in {seconds} s: {why}", last.StatusCode, e);
    }

    /// <summary>Whether the request certainly never reached the server (no connection), so that repeating it is safe.</summary>
    private static bool NotSent(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }

            if (inner is ClientResultException { Status: > 0 })
            {
                return false;
            }
        }

        return false;
    }
}
