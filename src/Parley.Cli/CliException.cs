namespace Parley.Cli;

/// <summary>An expected failure of a command (bad settings, a missing file) with a message for the user.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    /// <param name="exitCode">The exit code to end with.</param>
    public CliException(string message, Exception? innerException = null, int exitCode = ExitCodes.Failure)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The exit code to end with.</summary>
    public int ExitCode { get; }
}
