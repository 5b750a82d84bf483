using System.Text;
using Parley.Cli.Terminal;

namespace Parley.Cli.Rendering;

/// <summary>
/// Progress on standard error. On a terminal, steps redraw one line in place (cut to the terminal's width so it never
/// wraps) and only lines that matter stay; elsewhere (a log file, a pipe) every step is a line of its own.
/// </summary>
public sealed class StatusLine
{
    private readonly TextWriter _writer;
    private readonly bool _redraw;
    private readonly Func<int> _width;
    private bool _open;

    /// <summary>Creates the status line of <paramref name="writer"/>.</summary>
    /// <param name="writer">Where progress goes (standard error).</param>
    /// <param name="redraw">Whether <paramref name="writer"/> is a terminal, so steps may redraw one line.</param>
    /// <param name="width">The terminal's width in cells.</param>
    public StatusLine(TextWriter writer, bool redraw, Func<int> width)
    {
        _writer = writer;
        _redraw = redraw;
        _width = width;
    }

    /// <summary>Shows a step: replaces the line on a terminal, else writes a line.</summary>
    public void Step(string text)
    {
        if (!_redraw)
        {
            _writer.WriteLine(text);
            return;
        }

        lock (_writer)
        {
            _writer.Write($"\r{Fit(text)}\u001b[K");
            _writer.Flush();
            _open = true;
        }
    }

    /// <summary>Writes a line that stays (a stage's result, a warning), replacing the step shown.</summary>
    public void Line(string text)
    {
        lock (_writer)
        {
            if (_open)
            {
                _writer.Write("\r\u001b[K");
                _open = false;
            }

            _writer.WriteLine(text);
        }
    }

    /// <summary>Keeps the last step shown and moves to a new line, so what is written next starts on a row of its own.</summary>
    public void End()
    {
        lock (_writer)
        {
            if (_open)
            {
                _writer.WriteLine();
                _writer.Flush();
                _open = false;
            }
        }
    }

    private string Fit(string text)
    {
        var room = Math.Max(10, _width() - 1);
        var fitted = new StringBuilder();
        var used = 0;
        for (var i = 0; i < text.Length; i = CellText.Next(text, i))
        {
            var next = CellText.Next(text, i);
            var width = CellText.Width(text.AsSpan(i, next - i));
            if (used + width > room - 1 && next < text.Length)
            {
                return fitted.Append('…').ToString();
            }

            fitted.Append(text, i, next - i);
            used += width;
        }

        return fitted.ToString();
    }
}
