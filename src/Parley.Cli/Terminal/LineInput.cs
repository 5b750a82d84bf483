namespace Parley.Cli.Terminal;

/// <summary>How <see cref="LineEditor.ReadLine"/> ended, and the line when one was entered.</summary>
/// <param name="Kind">How the read ended.</param>
/// <param name="Text">The line entered (empty unless <paramref name="Kind"/> is <see cref="LineInputKind.Line"/>).</param>
public readonly record struct LineInput(LineInputKind Kind, string Text)
{
    /// <summary>Ctrl+C on an empty line.</summary>
    public static LineInput Interrupted { get; } = new(LineInputKind.Interrupted, "");

    /// <summary>Ctrl+D on an empty line, or the terminal's input ended.</summary>
    public static LineInput EndOfInput { get; } = new(LineInputKind.EndOfInput, "");
}
