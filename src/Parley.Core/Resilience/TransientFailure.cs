using System.Net;

namespace Parley.Core.Resilience;

/// <summary>A failure worth retrying, as seen by a <see cref="RetryOptions.Classifier"/>.</summary>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> when no response arrived (connection or timeout).</param>
/// <param name="RetryAfter">How long the server asked the client to wait, if it said.</param>
/// <param name="Reason">A one-line description without message content, e.g. "HTTP 503 Service Unavailable".</param>
public sealed record TransientFailure(int? StatusCode, TimeSpan? RetryAfter, string Reason)
{
    /// <summary>Whether an HTTP status is worth retrying: 408, 429 and every 5xx.</summary>
    public static bool IsTransientStatus(int statusCode) => statusCode is 408 or 429 or >= 500 and < 600;

    /// <summary>A transient failure for an HTTP status, described as e.g. "HTTP 429 Too Many Requests".</summary>
    public static TransientFailure ForStatus(int statusCode, TimeSpan? retryAfter = null) =>
        new(statusCode, retryAfter, FailureText.Status(statusCode));

    /// <summary>
    /// The default classifier. Transient: <see cref="HttpRequestException"/> with status 408, 429 or 5xx, or with
    /// no status (the connection failed); <see cref="IOException"/> (a connection or stream broke);
    /// <see cref="TimeoutException"/>; and <see cref="OperationCanceledException"/>, which
    /// <see cref="RetryPipeline"/> only passes here when neither the caller nor the deadline caused it
    /// (an HTTP or network timeout). Everything else, such as HTTP 400, 401 or 404, is not.
    /// </summary>
    /// <returns>The transient failure, or <see langword="null"/> to fail without retrying.</returns>
    public static TransientFailure? Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            HttpRequestException { StatusCode: HttpStatusCode status } => IsTransientStatus((int)status) ? ForStatus((int)status) : null,
            HttpRequestException or IOException or TimeoutException or OperationCanceledException =>
                new TransientFailure(null, null, FailureText.Exception(exception)),
            _ => null,
        };
    }
}
