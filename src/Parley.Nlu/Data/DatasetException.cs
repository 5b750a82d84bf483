namespace Parley.Nlu.Data;

/// <summary>
/// A dataset that cannot be read at all: the file is missing, its format is unknown, or required columns are absent.
/// Problems of single lines are not thrown but collected (see <see cref="IntentDataset.ReadErrors"/>).
/// </summary>
/// <remarks>The message names the file and says what to do.</remarks>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file at fault.</param>
    /// <param name="line">The 1-based line, or 0 when the error is about the whole file.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public DatasetException(string file, int line, string message, Exception? innerException = null)
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
