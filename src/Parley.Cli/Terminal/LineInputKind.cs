namespace Parley.Cli.Terminal;

/// <summary>How a read of <see cref="LineEditor"/> ended.</summary>
public enum LineInputKind
{
    /// <summary>Enter: a line was entered.</summary>
    Line,

    /// <summary>Ctrl+C on an empty line (Ctrl+C on a line with text clears it and reads on).</summary>
    Interrupted,

    /// <summary>Ctrl+D on an empty line, or the input ended.</summary>
    EndOfInput,
}
