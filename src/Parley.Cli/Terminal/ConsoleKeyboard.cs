namespace Parley.Cli.Terminal;

/// <summary>The process's terminal, through <see cref="Console"/>.</summary>
internal sealed class ConsoleKeyboard : IKeyboard
{
    public bool KeyAvailable => Console.KeyAvailable;

    public int Width
    {
        get
        {
            try
            {
                return Console.WindowWidth is > 0 and var width ? width : 80;
            }
            catch (IOException)
            {
                return 80;
            }
        }
    }

    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    public IDisposable ControlCAsKey()
    {
        var before = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        return new Restore(() => Console.TreatControlCAsInput = before);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
