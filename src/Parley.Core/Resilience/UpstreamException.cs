namespace Parley.Core.Resilience;

/// <summary>
/// The model endpoint failed and a <see cref="RetryPipeline"/> (such as the one in <see cref="RetryingChatClient"/>)
/// gave up: the error was not transient, the attempts or the deadline ran out, or a stream broke after it had
/// started. The message says which, in one line.
/// </summary>
public sealed class UpstreamException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A one-line message a user can act on.</param>
    /// <param name="statusCode">The HTTP status of the last failure, if a response arrived.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="elapsed">The time from the first attempt until giving up.</param>
    /// <param name="innerException">The last failure.</param>
    public UpstreamException(string message, int? statusCode, int attempts, TimeSpan elapsed, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Attempts = attempts;
        Elapsed = elapsed;
        Reason = message;
    }

    /// <summary>
    /// Why the call failed, without the attempts and time: e.g. "HTTP 404 Not Found: no such model", or "the deadline
    /// of 60 s expired (last error: HTTP 503 Service Unavailable)". Defaults to the message.
    /// </summary>
    public string Reason { get; init; }

    /// <summary>
    /// Whether the last failure was transient (a rate limit, a 5xx, a broken connection, the deadline), so that trying
    /// again later may succeed; <see langword="false"/> when the endpoint refused the request (400, 401, 404…).
    /// </summary>
    public bool Transient { get; init; }

    /// <summary>The HTTP status of the last failure, or <see langword="null"/> when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>How many attempts were made, the first one included.</summary>
    public int Attempts { get; }

    /// <summary>The time from the start of the first attempt until giving up.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// How long the endpoint asked the client to wait (its <c>Retry-After</c>) with the last failure, or
    /// <see langword="null"/> when it did not say; a server passing the failure on can pass the wait on too.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }
}
