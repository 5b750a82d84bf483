using System.Net;

namespace Parley.OpenAI;

/// <summary>
/// An OpenAI-compatible endpoint answered a forwarded request (<see cref="OpenAIChatForwarder"/>) with an error
/// status: the status, the wait it asked for and its body, which can echo the caller's key (log it masked, never pass
/// it on).
/// </summary>
public sealed class UpstreamStatusException : HttpRequestException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The endpoint's HTTP status.</param>
    /// <param name="retryAfter">The wait from its <c>retry-after-ms</c> or <c>Retry-After</c> header, if any.</param>
    /// <param name="body">Its response body as text (cut to <see cref="MaxBodyChars"/>), if any.</param>
    public UpstreamStatusException(int statusCode, TimeSpan? retryAfter, string? body)
        : base($"The endpoint answered HTTP {statusCode}.", null, (HttpStatusCode)statusCode)
    {
        RetryAfter = retryAfter;
        Body = body;
    }

    /// <summary>The most of a body kept for the log.</summary>
    public const int MaxBodyChars = 4096;

    /// <summary>How long the endpoint asked the caller to wait, if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The endpoint's response body (at most <see cref="MaxBodyChars"/> characters), or null.</summary>
    public string? Body { get; }

    /// <summary>The <c>error.message</c> of an OpenAI-shaped error body, or null.</summary>
    public string? ServerMessage => OpenAIErrorBody.Of(this)?.Message;
}
