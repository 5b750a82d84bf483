using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Parley.Core.Resilience;

namespace Parley.OpenAI;

/// <summary>
/// Classifies the OpenAI SDK's failures for <see cref="RetryingChatClient"/>: which are worth retrying, how long
/// the server asked to wait, and what it said when it refused.
/// </summary>
public static class OpenAITransientFailureClassifier
{
    /// <summary>
    /// Transient: a <see cref="ClientResultException"/> with status 408, 429 or 5xx (with the wait from its
    /// <c>retry-after-ms</c> or <c>retry-after</c> header, seconds or HTTP date), or with no response (the
    /// connection failed); and whatever <see cref="TransientFailure.Classify"/> accepts, such as the
    /// <see cref="IOException"/> of a stream cut mid-way. Other statuses (400, 401, 404…) are not.
    /// </summary>
    /// <returns>The transient failure, or <see langword="null"/> to fail without retrying.</returns>
    public static TransientFailure? Classify(Exception exception) => Classify(exception, TimeProvider.System);

    /// <summary>As <see cref="Classify(Exception)"/>, with the clock used to turn an HTTP-date Retry-After into a wait.</summary>
    public static TransientFailure? Classify(Exception exception, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (exception is not ClientResultException result)
        {
            return TransientFailure.Classify(exception);
        }

        if (result.Status == 0 || result.GetRawResponse() is not { } response)
        {
            // The transport found no response; the cause, if any, is the inner exception.
            return result.InnerException is { } inner
                ? Classify(inner, timeProvider)
                : new TransientFailure(null, null, "no response from the endpoint");
        }

        return TransientFailure.IsTransientStatus(result.Status)
            ? TransientFailure.ForStatus(result.Status, ReadRetryAfter(response.Headers, timeProvider.GetUtcNow()))
            : null;
    }

    /// <summary>
    /// Describes a failure that is not retried: for a <see cref="ClientResultException"/>, its status and the
    /// server's <c>error.message</c>, e.g. "HTTP 401 Unauthorized: Incorrect API key provided".
    /// </summary>
    public static UpstreamFailure Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ClientResultException { Status: > 0 } result => UpstreamFailure.ForStatus(result.Status, ServerMessage(result)),
            ClientResultException { InnerException: { } inner } => UpstreamFailure.Describe(inner),
            _ => UpstreamFailure.Describe(exception),
        };
    }

    /// <summary>The wait a response asks for: <c>retry-after-ms</c>, else <c>retry-after</c> as seconds or an HTTP date.</summary>
    internal static TimeSpan? ReadRetryAfter(PipelineResponseHeaders headers, DateTimeOffset now) =>
        ParseRetryAfter(
            headers.TryGetValue("retry-after-ms", out var milliseconds) ? milliseconds : null,
            headers.TryGetValue("retry-after", out var retryAfter) ? retryAfter : null,
            headers.TryGetValue("date", out var date) ? date : null,
            now);

    /// <summary>Parses Retry-After values; an HTTP date is measured from the response's Date header when present, so clock skew cancels out.</summary>
    internal static TimeSpan? ParseRetryAfter(string? retryAfterMs, string? retryAfter, string? responseDate, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && double.IsFinite(ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(retryAfter.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until))
        {
            var reference = DateTimeOffset.TryParseExact(responseDate?.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent)
                ? sent
                : now;
            var wait = until - reference;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    // The body's error.message when it was buffered, else the last line of the SDK's own message.
    private static string? ServerMessage(ClientResultException result)
    {
        if (OpenAIErrorBody.Of(result)?.Message is { } message)
        {
            return message;
        }

        var lines = result.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 ? lines[^1] : null;
    }
}
