namespace Parley.Tools;

/// <summary>
/// An expected failure of a tool (an expression that is not arithmetic, an unknown city, an unreachable service). Its
/// message is written for the user; the tool invoker turns it into the tool's result instead of failing the turn.
/// </summary>
public sealed class ToolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, in words a user can act on.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ToolException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
