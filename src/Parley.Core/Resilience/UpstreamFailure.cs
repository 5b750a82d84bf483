using System.Net;

namespace Parley.Core.Resilience;

/// <summary>A one-line description of a failure that is not retried, as seen by a <see cref="RetryOptions.Describer"/>.</summary>
/// <param name="StatusCode">The HTTP status, if a response arrived.</param>
/// <param name="Reason">The status and the server's message, e.g. "HTTP 401 Unauthorized: Incorrect API key provided".</param>
public sealed record UpstreamFailure(int? StatusCode, string Reason)
{
    /// <summary>A failure for an HTTP status and the server's message, e.g. "HTTP 404 Not Found: no such model".</summary>
    public static UpstreamFailure ForStatus(int statusCode, string? serverMessage = null)
    {
        var detail = FailureText.OneLine(serverMessage);
        var status = FailureText.Status(statusCode);
        return new UpstreamFailure(statusCode, detail.Length == 0 ? status : $"{status}: {detail}");
    }

    /// <summary>
    /// The default describer: the status of an <see cref="HttpRequestException"/>, otherwise the exception's type
    /// and message on one line.
    /// </summary>
    public static UpstreamFailure Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is HttpRequestException { StatusCode: HttpStatusCode status }
            ? ForStatus((int)status)
            : new UpstreamFailure(null, FailureText.Exception(exception));
    }
}
