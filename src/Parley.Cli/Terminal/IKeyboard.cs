namespace Parley.Cli.Terminal;

/// <summary>The keys of an interactive terminal, for <see cref="LineEditor"/>. Tests give scripted keys.</summary>
public interface IKeyboard
{
    /// <summary>Whether a key is waiting (more of a paste), so the editor can draw once after it.</summary>
    bool KeyAvailable { get; }

    /// <summary>The terminal's width in cells (80 when it does not say).</summary>
    int Width { get; }

    /// <summary>Reads one key without echoing it; blocks until there is one.</summary>
    /// <exception cref="EndOfStreamException">The terminal has gone (its input ended).</exception>
    ConsoleKeyInfo ReadKey();

    /// <summary>
    /// Makes Ctrl+C a key (instead of the interrupt signal) until the returned handle is disposed: the editor clears the
    /// line with it while reading, and a reply being written is stopped by it otherwise.
    /// </summary>
    IDisposable ControlCAsKey();
}
