using System.ClientModel;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Parley.Core.Resilience;
using Parley.OpenAI;
using Parley.Server.Chat;
using Parley.Server.Telemetry;

namespace Parley.Server.Errors;

/// <summary>
/// Turns a failure of a model endpoint (an upstream model, or the LLM behind a bot) into the error the client gets:
/// 429 with the upstream's <c>Retry-After</c> when it was rate limited; 400 with the upstream's reason when it refused
/// a request the client wrote (a pass-through model's 400, 413 or 422: e.g. <c>context_length_exceeded</c>, or a field
/// Parley does not check); else 502 <c>upstream_error</c>, without the upstream's message (a 401 can echo Parley's
/// key). The log gets the upstream's message and body with secrets masked.
/// </summary>
internal static partial class UpstreamErrors
{
    /// <summary>The code of every upstream failure other than a rate limit.</summary>
    public const string Code = "upstream_error";

    /// <summary>The code of an upstream rate limit passed on as 429.</summary>
    public const string RateLimitCode = "rate_limit_exceeded";

    /// <summary>The most of an upstream's reason passed to the client.</summary>
    private const int MaxReasonChars = 500;

    /// <summary>Whether <paramref name="exception"/> is a failure of a model endpoint rather than of Parley.</summary>
    public static bool IsUpstream(Exception exception) =>
        exception is UpstreamException or ClientResultException or HttpRequestException or IOException or TimeoutException
            or System.Text.Json.JsonException; // a reply that is not the JSON the client expects

    /// <summary>The client's error for <paramref name="exception"/>, after logging what the upstream said.</summary>
    /// <param name="exception">A failure for which <see cref="IsUpstream"/> is true.</param>
    /// <param name="model">The model the client asked for.</param>
    /// <param name="logger">Receives the upstream's message and body, masked.</param>
    /// <param name="passThrough">
    /// The client's request went to the model as the client wrote it (an upstream or fine-tuned model, not a bot's
    /// LLM), so the model's refusal of it is the client's to fix.
    /// </param>
    public static ApiException ToApiException(Exception exception, string model, ILogger logger, bool passThrough = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is StreamTimeoutException timeout)
        {
            LogTimeout(logger, LogText.Escape(model), timeout.Message);
            return new ApiException(504, timeout.Message, code: StreamTimeoutException.Code);
        }

        var (status, retryAfter) = Classify(exception);
        LogFailure(logger, LogText.Escape(model), status, LogText.MaskSecrets(exception.Message), LogText.MaskSecrets(OpenAIErrorBody.TextOf(exception)));
        if (status == 429)
        {
            var wait = retryAfter is { } w ? string.Create(CultureInfo.InvariantCulture, $" Retry after {Math.Max(1, (int)Math.Ceiling(w.TotalSeconds))} s.") : " Retry later.";
            return new ApiException(429, $"The model '{model}' is rate limited upstream.{wait}", code: RateLimitCode) { RetryAfter = retryAfter };
        }

        if (passThrough && status is 400 or 413 or 422)
        {
            return Refused(exception, model, status.Value);
        }

        var what = status is { } s ? string.Create(CultureInfo.InvariantCulture, $" (upstream HTTP {s})") : " (no answer from the upstream)";
        return new ApiException(502, $"The model '{model}' failed upstream{what}. Try again later.", code: Code);
    }

    /// <summary>The 400 for a request the model refused: its reason (masked, cut short), field and code when it gave them.</summary>
    private static ApiException Refused(Exception exception, string model, int status)
    {
        var body = OpenAIErrorBody.Of(exception);
        var reason = LogText.MaskSecrets(body?.Message) is { Length: > 0 } said
            ? ": " + (said.Length > MaxReasonChars ? said[..MaxReasonChars] + "…" : said)
            : string.Create(CultureInfo.InvariantCulture, $" (upstream HTTP {status}).");
        var code = LogText.MaskSecrets(body?.Code) is { Length: > 0 and <= 64 } c ? c : "upstream_refused";
        var param = LogText.MaskSecrets(body?.Param) is { Length: > 0 and <= 128 } p ? p : null;
        return new ApiException(400, $"The model '{model}' refused the request{reason}", param, code);
    }

    /// <summary>
    /// The error for a failure while a model answers (the event of a stream that failed after it started): an upstream
    /// failure as <see cref="ToApiException"/> says, anything else logged with its stack and reported as a 500 without details.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="model">The model the client asked for.</param>
    /// <param name="logger">Receives the failure.</param>
    /// <param name="passThrough">As for <see cref="ToApiException"/>.</param>
    public static ApiException ForStream(Exception exception, string model, ILogger logger, bool passThrough = false)
    {
        if (IsUpstream(exception))
        {
            return ToApiException(exception, model, logger, passThrough);
        }

        LogStreamFailure(logger, exception, LogText.Escape(model));
        return new ApiException(500, "The server failed to answer; see its log.");
    }

    /// <summary>The HTTP status the endpoint answered with (null when none arrived) and the wait it asked for.</summary>
    private static (int? Status, TimeSpan? RetryAfter) Classify(Exception exception)
    {
        switch (exception)
        {
            case UpstreamException upstream:
                return (upstream.StatusCode, upstream.RetryAfter);
            case ClientResultException { Status: > 0 } result:
                return (result.Status, OpenAITransientFailureClassifier.Classify(result)?.RetryAfter);
            case HttpRequestException { StatusCode: { } code }:
                return ((int)code, null);
            default:
                return exception.InnerException is { } inner && IsUpstream(inner) ? Classify(inner) : (null, null);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Model {Model} failed upstream (HTTP {Status}): {Reason} Body: {Body}")]
    private static partial void LogFailure(ILogger logger, string? model, int? status, string? reason, string? body);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Answering with {Model} failed")]
    private static partial void LogStreamFailure(ILogger logger, Exception exception, string? model);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Model {Model}: {Reason}")]
    private static partial void LogTimeout(ILogger logger, string? model, string reason);
}
