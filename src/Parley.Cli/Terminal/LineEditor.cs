using System.Text;

namespace Parley.Cli.Terminal;

/// <summary>
/// Reads lines from a terminal with editing: arrows, Home/End (and Ctrl+A/E), Backspace/Delete, Ctrl+U (delete to the
/// start), Ctrl+K (to the end), Ctrl+W (the word before the cursor), Up/Down through the lines entered before. Ctrl+C
/// clears a line with text and ends the read of an empty one; Ctrl+D on an empty line ends the input.
/// </summary>
/// <remarks>
/// Written for Parley instead of using RadLine (Spectre's preview line editor): RadLine does not put the terminal in
/// raw mode, so Ctrl+C and some keys do not reach it, and its lines are not redrawn correctly past the screen's
/// bottom, which is where a long pasted line goes. Widths of Chinese characters come from Spectre.Console.
/// </remarks>
public sealed class LineEditor(IKeyboard keyboard, TextWriter output)
{
    private readonly List<string> _history = [];

    /// <summary>The lines entered so far, oldest first, without repeats in a row and without empty lines.</summary>
    public IReadOnlyList<string> History => _history;

    /// <summary>Shows <paramref name="prompt"/> and reads a line.</summary>
    /// <param name="prompt">The prompt, e.g. "&gt; ".</param>
    /// <param name="remember">Whether the line joins the history (an answer to a yes/no question does not).</param>
    public LineInput ReadLine(string prompt, bool remember = true)
    {
        using var raw = keyboard.ControlCAsKey();
        var view = new LineView(output, prompt, keyboard.Width);
        var text = new StringBuilder();
        var cursor = 0;
        var browsing = _history.Count; // _history.Count: the line being written, not one from the history
        var draft = "";
        view.Start();
        while (true)
        {
            ConsoleKeyInfo key;
            try
            {
                key = keyboard.ReadKey();
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidOperationException)
            {
                view.Finish();
                return LineInput.EndOfInput;
            }

            switch (key.KeyChar, key.Key)
            {
                case ('\r' or '\n', _) or (_, ConsoleKey.Enter):
                    view.Show(text.ToString(), cursor);
                    view.Finish();
                    var line = text.ToString();
                    if (remember && line.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != line))
                    {
                        _history.Add(line);
                    }

                    return new LineInput(LineInputKind.Line, line);
                case ('\u0003', _):
                    view.Show(text.ToString(), text.Length);
                    view.Finish("^C");
                    if (text.Length == 0)
                    {
                        return LineInput.Interrupted;
                    }

                    text.Clear();
                    cursor = 0;
                    browsing = _history.Count;
                    view.Start();
                    continue;
                case ('\u0004', _) when text.Length == 0:
                    view.Finish();
                    return LineInput.EndOfInput;
                case ('\u0004', _) or (_, ConsoleKey.Delete):
                    text.Remove(cursor, CellText.Next(text.ToString(), cursor) - cursor);
                    break;
                case ('\b' or '\u007f', _) or (_, ConsoleKey.Backspace):
                    var previous = CellText.Previous(text.ToString(), cursor);
                    text.Remove(previous, cursor - previous);
                    cursor = previous;
                    break;
                case ('\u0015', _):
                    text.Remove(0, cursor);
                    cursor = 0;
                    break;
                case ('\u000b', _):
                    text.Length = cursor;
                    break;
                case ('\u0017', _):
                    var start = cursor;
                    while (start > 0 && char.IsWhiteSpace(text[start - 1]))
                    {
                        start--;
                    }

                    while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
                    {
                        start--;
                    }

                    text.Remove(start, cursor - start);
                    cursor = start;
                    break;
                case ('\u0001', _) or (_, ConsoleKey.Home):
                    cursor = 0;
                    break;
                case ('\u0005', _) or (_, ConsoleKey.End):
                    cursor = text.Length;
                    break;
                case ('\u0002', _) or (_, ConsoleKey.LeftArrow):
                    cursor = CellText.Previous(text.ToString(), cursor);
                    break;
                case ('\u0006', _) or (_, ConsoleKey.RightArrow):
                    cursor = CellText.Next(text.ToString(), cursor);
                    break;
                case ('\u0010', _) or (_, ConsoleKey.UpArrow) when browsing > 0:
                    if (browsing == _history.Count)
                    {
                        draft = text.ToString();
                    }

                    browsing--;
                    text.Clear().Append(_history[browsing]);
                    cursor = text.Length;
                    break;
                case ('\u000e', _) or (_, ConsoleKey.DownArrow) when browsing < _history.Count:
                    browsing++;
                    text.Clear().Append(browsing == _history.Count ? draft : _history[browsing]);
                    cursor = text.Length;
                    break;
                case ('\t', _):
                    text.Insert(cursor, ' ');
                    cursor++;
                    break;
                case var (c, _) when c != '\0' && !char.IsControl(c):
                    text.Insert(cursor, c);
                    cursor++;
                    break;
                default:
                    // Keys without a meaning here (F-keys, Escape, Up at the oldest line) change nothing.
                    break;
            }

            // Draw once a paste has been read (not per key), and never half a surrogate pair.
            if (!keyboard.KeyAvailable && !(cursor > 0 && char.IsHighSurrogate(text[cursor - 1])))
            {
                view.Show(text.ToString(), cursor);
            }
        }
    }
}
