using Parley.Cli.Terminal;
using static Parley.Cli.Tests.Terminal.ScriptedKeyboard;

namespace Parley.Cli.Tests.Terminal;

public sealed class LineEditorTests
{
    private readonly StringWriter _screen = new();

    private static string Line(LineInput input)
    {
        Assert.Equal(LineInputKind.Line, input.Kind);
        return input.Text;
    }

    [Fact]
    public void ReadLine_ArrowsHomeEnd_InsertWhereTheCursorIs()
    {
        var keys = new ScriptedKeyboard().Type("helo wrld").Press(Left, Left, Left).Type("o").Press(Home).Type("> ").Press(End).Type("!")
            .Press(Left, Left, Left, Left, Left, Left, Left, Left, Left, Right).Type("l").Press(Enter);
        var editor = new LineEditor(keys, _screen);

        Assert.Equal("> hello world!", Line(editor.ReadLine("> ")));
        Assert.Equal(1, keys.ControlCAsKeyCount);
    }

    [Fact]
    public void ReadLine_KillKeys_DeleteToStartToEndAndTheWordBefore()
    {
        var keys = new ScriptedKeyboard()
            .Type("first second").Press(Control('u')).Type("kept").Press(Enter)
            .Type("one two three").Press(Left, Left, Left, Left, Left, Left, Control('k'), Control('w')).Press(Enter)
            .Type("abc").Press(Home, Control('d'), Backspace, End, Backspace, Enter);
        var editor = new LineEditor(keys, _screen);

        Assert.Equal("kept", Line(editor.ReadLine("> ")));
        Assert.Equal("one ", Line(editor.ReadLine("> ")));
        Assert.Equal("b", Line(editor.ReadLine("> ")));
    }

    [Fact]
    public void ReadLine_UpAndDown_BrowseEarlierLinesAndReturnToTheDraft()
    {
        var keys = new ScriptedKeyboard()
            .Type("first\nsecond\nsecond\n")
            .Type("draft").Press(Up, Up).Type("!").Press(Enter)
            .Type("new").Press(Up, Down).Type("er").Press(Enter)
            .Press(Up, Up, Up, Up, Up, Up).Press(Enter);
        var editor = new LineEditor(keys, _screen);
        for (var i = 0; i < 3; i++)
        {
            editor.ReadLine("> ");
        }

        Assert.Equal("first!", Line(editor.ReadLine("> ")));
        Assert.Equal("newer", Line(editor.ReadLine("> ")));
        Assert.Equal("first", Line(editor.ReadLine("> ")));
        Assert.Equal(["first", "second", "first!", "newer", "first"], editor.History);
    }

    [Fact]
    public void ReadLine_NotRemembered_StaysOutOfTheHistory()
    {
        var keys = new ScriptedKeyboard().Type("y\n").Press(Up, Enter);
        var editor = new LineEditor(keys, _screen);

        editor.ReadLine("Approve? ", remember: false);

        Assert.Equal("", Line(editor.ReadLine("> ")));
        Assert.Empty(editor.History);
    }

    [Fact]
    public void ReadLine_ControlC_ClearsALineWithTextAndEndsAnEmptyOne()
    {
        var keys = new ScriptedKeyboard().Type("never sent").Press(Control('c')).Type("sent\n").Press(Control('c'));
        var editor = new LineEditor(keys, _screen);

        Assert.Equal("sent", Line(editor.ReadLine("> ")));
        Assert.Equal(LineInputKind.Interrupted, editor.ReadLine("> ").Kind);
        Assert.Contains("> never sent\r\u001b[12C^C\r\n> ", _screen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLine_ControlDOnAnEmptyLine_EndsTheInputOnANewLine()
    {
        var keys = new ScriptedKeyboard().Press(Control('d'));
        var editor = new LineEditor(keys, _screen);

        Assert.Equal(LineInputKind.EndOfInput, editor.ReadLine("> ").Kind);
        Assert.EndsWith("\r\n", _screen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLine_InputEnds_IsTheEndOfInput()
    {
        var editor = new LineEditor(new ScriptedKeyboard().Type("half a line"), _screen);

        Assert.Equal(LineInputKind.EndOfInput, editor.ReadLine("> ").Kind);
    }

    [Fact]
    public void ReadLine_ChineseAndEmoji_MoveByCharacterAndTwoCellsEach()
    {
        var keys = new ScriptedKeyboard().Type("你好世界🙂").Press(Left, Left, Left).Type("们").Press(Enter);
        var editor = new LineEditor(keys, _screen);

        Assert.Equal("你好们世界🙂", Line(editor.ReadLine("> ")));
        // After three Lefts the cursor is after 你好: prompt (2 cells) + 2 wide characters = column 6.
        Assert.Contains("\r\u001b[6C", _screen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLine_WideCharacterAtTheEndOfARow_StartsTheNextRow()
    {
        // Width 7: "> " + 你好 fills 6 cells, 世 does not fit in the last one and goes to row 1 (cells 0-1).
        var keys = new ScriptedKeyboard(width: 7).Type("你好世界").Press(Home, Right, Right, Right, Enter);
        var editor = new LineEditor(keys, _screen);

        Assert.Equal("你好世界", Line(editor.ReadLine("> ")));
        // Home → row 0 column 2; Right ×3 → after 世 → row 1 column 2: one row down from the end row (界 ends row 1 at 4).
        Assert.EndsWith("\r\u001b[2C\r\u001b[4C\r\n", _screen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLine_LongPaste_IsWrittenOnceAndKeptWhole()
    {
        var pasted = string.Concat(Enumerable.Repeat("0123456789 粘贴 ", 300));
        var keys = new ScriptedKeyboard(width: 40) { Pasting = true }.Type(pasted).Press(Enter);
        var editor = new LineEditor(keys, _screen);

        Assert.Equal(pasted, Line(editor.ReadLine("> ")));
        var screen = _screen.ToString();
        Assert.True(screen.Length < pasted.Length + 400, $"the paste was redrawn: {screen.Length} characters written for {pasted.Length}");
    }

    [Fact]
    public void ReadLine_TextEndingAtTheMargin_MovesTheCursorToTheNextRow()
    {
        var keys = new ScriptedKeyboard(width: 10).Type("12345678").Press(Enter);
        var editor = new LineEditor(keys, _screen);

        Assert.Equal("12345678", Line(editor.ReadLine("> ")));
        // "> " + 8 characters fill the row: the cursor is moved to the next row so the next key is drawn there.
        Assert.Contains("8\r\n", _screen.ToString(), StringComparison.Ordinal);
    }
}
