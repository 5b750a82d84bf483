using System.Globalization;
using System.Text;

namespace Parley.Cli.Terminal;

/// <summary>
/// Draws a prompt and the line being edited on a terminal with ANSI cursor moves, over as many rows as the text wraps
/// to, and puts the cursor where it belongs. Typing at the end only writes what was added, so a long paste is written
/// once, not redrawn per key.
/// </summary>
internal sealed class LineView(TextWriter output, string prompt, int width)
{
    private readonly int _width = Math.Max(width, 4);
    private string _shown = "";
    private int _cursorRow;
    private int _cursor;
    private bool _cursorAtEnd = true;

    /// <summary>Writes the prompt on a fresh row.</summary>
    public void Start()
    {
        output.Write(prompt);
        _shown = "";
        _cursorRow = 0;
        _cursor = 0;
        _cursorAtEnd = true;
        output.Flush();
    }

    /// <summary>Shows <paramref name="text"/> with the cursor at <paramref name="cursor"/> (an index into it).</summary>
    public void Show(string text, int cursor)
    {
        if (cursor == _cursor && text == _shown)
        {
            return;
        }

        var buffer = new StringBuilder();
        if (_cursorAtEnd && cursor == text.Length && text.Length > _shown.Length && text.StartsWith(_shown, StringComparison.Ordinal))
        {
            // Typing or pasting at the end: write only the new characters.
            buffer.Append(text, _shown.Length, text.Length - _shown.Length);
            var (row, column) = Position(text, text.Length);
            if (column == 0 && row > 0)
            {
                buffer.Append("\r\n"); // the terminal holds the cursor at the margin; move it to where the next cell goes
            }

            _cursorRow = row;
        }
        else
        {
            MoveToStart(buffer);
            buffer.Append("\u001b[J").Append(prompt).Append(text);
            var (endRow, endColumn) = Position(text, text.Length);
            if (endColumn == 0 && endRow > 0)
            {
                buffer.Append("\r\n");
            }

            var (row, column) = Position(text, cursor);
            if (endRow > row)
            {
                buffer.Append(CultureInfo.InvariantCulture, $"\u001b[{endRow - row}A");
            }

            buffer.Append('\r');
            if (column > 0)
            {
                buffer.Append(CultureInfo.InvariantCulture, $"\u001b[{column}C");
            }

            _cursorRow = row;
        }

        _shown = text;
        _cursor = cursor;
        _cursorAtEnd = cursor == text.Length;
        output.Write(buffer.ToString());
        output.Flush();
    }

    /// <summary>Moves the cursor past the end of the text and to a new row.</summary>
    public void Finish(string? suffix = null)
    {
        var buffer = new StringBuilder();
        var (endRow, endColumn) = Position(_shown, _shown.Length);
        if (endRow > _cursorRow)
        {
            buffer.Append(CultureInfo.InvariantCulture, $"\u001b[{endRow - _cursorRow}B");
        }

        buffer.Append('\r');
        if (endColumn > 0)
        {
            buffer.Append(CultureInfo.InvariantCulture, $"\u001b[{endColumn}C");
        }

        buffer.Append(suffix).Append("\r\n");
        output.Write(buffer.ToString());
        output.Flush();
    }

    private void MoveToStart(StringBuilder buffer)
    {
        if (_cursorRow > 0)
        {
            buffer.Append(CultureInfo.InvariantCulture, $"\u001b[{_cursorRow}A");
        }

        buffer.Append('\r');
    }

    /// <summary>
    /// The row (from the prompt's) and column of the cell where the character at <paramref name="index"/> goes. A wide
    /// character that does not fit at the end of a row starts the next one, as terminals do.
    /// </summary>
    private (int Row, int Column) Position(string text, int index)
    {
        var row = 0;
        var column = 0;
        void Advance(int cells)
        {
            if (column + cells > _width)
            {
                row++;
                column = 0;
            }

            column += cells;
            if (column == _width)
            {
                row++;
                column = 0;
            }
        }

        for (var i = 0; i < prompt.Length; i = CellText.Next(prompt, i))
        {
            Advance(CellText.Width(prompt.AsSpan(i, CellText.Next(prompt, i) - i)));
        }

        for (var i = 0; i < index; i = CellText.Next(text, i))
        {
            Advance(CellText.Width(text.AsSpan(i, CellText.Next(text, i) - i)));
        }

        return (row, column);
    }
}
