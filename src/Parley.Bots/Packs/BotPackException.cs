namespace Parley.Bots.Packs;

/// <summary>A bot pack that cannot be loaded: a missing file, bad YAML/JSON, or an invalid field.</summary>
/// <remarks>The message names the file, the line and the field, and says what to change.</remarks>
public sealed class BotPackException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file at fault.</param>
    /// <param name="line">The 1-based line, or 0 when the error is about the whole file.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public BotPackException(string file, int line, string message, Exception? innerException = null)
        : base(line > 0 ? $"{file}:{line}: {message}" : $"{file}: {message}", innerException)
    {
        File = file;
        Line = line;
    }

    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>The 1-based line, or 0 when the error is about the whole file.</summary>
    public int Line { get; }
}
