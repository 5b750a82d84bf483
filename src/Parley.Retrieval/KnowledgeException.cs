namespace Parley.Retrieval;

/// <summary>An expected failure of knowledge retrieval, such as a malformed evaluation file, with a message a user can act on.</summary>
public sealed class KnowledgeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public KnowledgeException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
