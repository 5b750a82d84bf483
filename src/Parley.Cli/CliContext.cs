using System.Collections;

namespace Parley.Cli;

/// <summary>
/// What a run of <c>parley</c> reads and writes: standard streams, environment, working folder. Tests give their
/// own; the program gives the process's.
/// </summary>
public sealed class CliContext
{
    /// <summary>Standard input.</summary>
    public required TextReader In { get; init; }

    /// <summary>Standard output.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Whether standard output is an interactive terminal (prompts, colours and live output only then).</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Whether standard input is an interactive terminal.</summary>
    public bool IsInteractiveInput { get; init; }

    /// <summary>Whether standard error is an interactive terminal (progress redraws one line only then).</summary>
    public bool IsErrorTerminal { get; init; }

    /// <summary>
    /// The keyboard, when both standard input and output are a terminal: <c>chat</c> then edits lines with
    /// <see cref="Terminal.LineEditor"/>. Null otherwise (piped input is read line by line).
    /// </summary>
    public Terminal.IKeyboard? Keyboard { get; init; }

    /// <summary>The terminal's width in cells (for progress lines cut to fit). Default: 80.</summary>
    public Func<int> TerminalWidth { get; init; } = () => 80;

    /// <summary>
    /// Progress on standard error: redrawn in place when standard error is a terminal, a line per step otherwise. Ended
    /// (its last step kept on its own row) when a command finishes or fails.
    /// </summary>
    public Rendering.StatusLine Status => _status ??= new Rendering.StatusLine(Error, IsErrorTerminal, TerminalWidth);

    private Rendering.StatusLine? _status;

    /// <summary>The environment variables.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The clock (for ages such as <c>sessions prune --older-than</c>). Default: the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The working folder.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>
    /// Registers a handler for Ctrl+C that is called instead of ending the process; returns a registration to remove it.
    /// Null where there is no console (tests).
    /// </summary>
    public Func<Action, IDisposable>? OnInterrupt { get; init; }

    /// <summary>The context of this process.</summary>
    public static CliContext FromConsole()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? "";
        }

        return new CliContext
        {
            In = Console.In,
            Out = Console.Out,
            Error = Console.Error,
            IsTerminal = !Console.IsOutputRedirected,
            IsInteractiveInput = !Console.IsInputRedirected,
            IsErrorTerminal = !Console.IsErrorRedirected,
            TerminalWidth = () => new Terminal.ConsoleKeyboard().Width,
            Keyboard = Console.IsInputRedirected || Console.IsOutputRedirected ? null : new Terminal.ConsoleKeyboard(),
            Environment = environment,
            CurrentDirectory = System.Environment.CurrentDirectory,
            OnInterrupt = handler =>
            {
                void OnCancel(object? sender, ConsoleCancelEventArgs e)
                {
                    e.Cancel = true;
                    handler();
                }

                Console.CancelKeyPress += OnCancel;
                return new Registration(() => Console.CancelKeyPress -= OnCancel);
            },
        };
    }

    /// <summary>Reads an environment variable; empty counts as unset.</summary>
    public string? GetEnvironmentVariable(string name) =>
        Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
