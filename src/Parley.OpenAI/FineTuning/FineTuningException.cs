namespace Parley.OpenAI.FineTuning;

/// <summary>
/// An expected failure of fine-tuning work: the endpoint could not be reached or refused a request, or a data file is
/// unreadable. The message says what, where (URL, or file and line) and what to do, in one line.
/// </summary>
public sealed class FineTuningException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A one-line message a user can act on.</param>
    /// <param name="statusCode">The HTTP status of the last failure, if a response arrived.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public FineTuningException(string message, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the last failure, or <see langword="null"/> when no response arrived (or no HTTP was involved).</summary>
    public int? StatusCode { get; }
}
