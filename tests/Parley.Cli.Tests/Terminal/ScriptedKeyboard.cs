using Parley.Cli.Terminal;

namespace Parley.Cli.Tests.Terminal;

/// <summary>Keys typed from a script; the input ends when they run out.</summary>
internal sealed class ScriptedKeyboard(int width = 80) : IKeyboard
{
    private readonly Queue<ConsoleKeyInfo> _keys = new();

    public static ConsoleKeyInfo Left => new('\0', ConsoleKey.LeftArrow, false, false, false);
    public static ConsoleKeyInfo Right => new('\0', ConsoleKey.RightArrow, false, false, false);
    public static ConsoleKeyInfo Up => new('\0', ConsoleKey.UpArrow, false, false, false);
    public static ConsoleKeyInfo Down => new('\0', ConsoleKey.DownArrow, false, false, false);
    public static ConsoleKeyInfo Home => new('\0', ConsoleKey.Home, false, false, false);
    public static ConsoleKeyInfo End => new('\0', ConsoleKey.End, false, false, false);
    public static ConsoleKeyInfo Backspace => new('\u007f', ConsoleKey.Backspace, false, false, false);
    public static ConsoleKeyInfo Enter => new('\r', ConsoleKey.Enter, false, false, false);

    /// <summary>Whether a paste is under way: each key is then drawn only when the keys run out.</summary>
    public bool Pasting { get; set; }

    public int ControlCAsKeyCount { get; private set; }

    public bool KeyAvailable => Pasting && _keys.Count > 0;

    public int Width => width;

    public static ConsoleKeyInfo Control(char letter) =>
        new((char)(char.ToUpperInvariant(letter) - '@'), ConsoleKey.A + (char.ToUpperInvariant(letter) - 'A'), false, false, true);

    public ScriptedKeyboard Type(string text)
    {
        foreach (var c in text)
        {
            _keys.Enqueue(c == '\n' ? Enter : new ConsoleKeyInfo(c, ConsoleKey.NoName, false, false, false));
        }

        return this;
    }

    public ScriptedKeyboard Press(params ConsoleKeyInfo[] keys)
    {
        foreach (var key in keys)
        {
            _keys.Enqueue(key);
        }

        return this;
    }

    public ConsoleKeyInfo ReadKey() => _keys.TryDequeue(out var key) ? key : throw new EndOfStreamException("no more keys");

    public IDisposable ControlCAsKey()
    {
        ControlCAsKeyCount++;
        return new Nothing();
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
