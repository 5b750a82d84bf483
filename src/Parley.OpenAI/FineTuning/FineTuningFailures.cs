using System.ClientModel;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using Parley.Core.Resilience;

namespace Parley.OpenAI.FineTuning;

/// <summary>
/// What the <see cref="RetryPipeline"/>s of <see cref="FineTuningJobClient"/> retry, and how their final failure reads
/// as a <see cref="FineTuningException"/> naming the endpoint.
/// </summary>
/// <remarks>
/// Requests that create something (upload, create, cancel) are retried only when the connection could not be made or
/// the server answered 429, because any other failure may come after the server acted on them.
/// </remarks>
internal static class FineTuningFailures
{
    /// <summary>The retry settings of one kind of request, from the client's options.</summary>
    public static RetryOptions RetryOptions(FineTuningJobClientOptions options, bool idempotent)
    {
        var clock = options.TimeProvider;
        return new RetryOptions
        {
            MaxAttempts = options.MaxAttempts,
            Deadline = options.Deadline,
            InitialDelay = options.InitialRetryDelay,
            MaxDelay = options.MaxRetryDelay,
            TimeProvider = clock,
            Classifier = e => Classify(e, idempotent, clock),
            Describer = OpenAITransientFailureClassifier.Describe,
        };
    }

    /// <summary>The <see cref="FineTuningException"/> for a request that failed for good.</summary>
    /// <param name="failure">How the pipeline gave up.</param>
    /// <param name="what">The request, e.g. "reading job ftjob-1".</param>
    /// <param name="baseUrl">The endpoint.</param>
    public static FineTuningException ToException(UpstreamException failure, string what, Uri baseUrl)
    {
        if (failure.InnerException is FineTuningException answered)
        {
            // The endpoint answered, but not as the API says (FineTuningWire): already a message about that answer.
            ExceptionDispatchInfo.Throw(answered);
        }

        var last = failure.InnerException ?? failure;
        if (!failure.Transient)
        {
            return new FineTuningException($"{what} at {baseUrl} failed: {failure.Reason}", failure.StatusCode, last);
        }

        var tries = $"{Tries(failure.Attempts)} in {failure.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s";
        return failure.StatusCode is null
            ? new FineTuningException(
                $"cannot reach the fine-tuning endpoint {baseUrl} ({tries}; {failure.Reason}): check that the server is running there (a Parley server: 'parley serve') or give the right base URL",
                null,
                last)
            : new FineTuningException($"{what} at {baseUrl} failed after {tries}: {failure.Reason}", failure.StatusCode, last);
    }

    private static string Tries(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    private static TransientFailure? Classify(Exception e, bool idempotent, TimeProvider clock)
    {
        if (e is FineTuningException)
        {
            return null;
        }

        var transient = OpenAITransientFailureClassifier.Classify(e, clock);
        if (transient is null || (!idempotent && !NotSent(e) && transient.StatusCode != 429))
        {
            return null;
        }

        // The server's own error message, when the attempt got an answer.
        return e is ClientResultException { Status: > 0 } ? transient with { Reason = OpenAITransientFailureClassifier.Describe(e).Reason } : transient;
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
