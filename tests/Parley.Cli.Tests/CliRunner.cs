using System.Text.Json;

namespace Parley.Cli.Tests;

/// <summary>Runs <c>parley</c> in-process with its own streams, environment and a temporary database.</summary>
internal sealed class CliRunner : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("parley-cli-").FullName;

    // Shared by the tests of this run, so the embedding cache in it is warm after the first bot start.
    private static readonly Lazy<string> SharedData = new(() =>
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("parley-cli-data-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(dir, recursive: true);
        return dir;
    });

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The data folder the tests of this run share (its embedding cache and knowledge indexes warm after the first bot start).</summary>
    public static string SharedDataDirectory => SharedData.Value;

    public CliRunner()
    {
        // Each test gets its own data folder and database, so nothing touches the user's.
        Environment["PARLEY_DATA_DIR"] = SharedDataDirectory;
        Environment["PARLEY_DB"] = Database;
    }

    public string Directory => _dir;

    /// <summary>Whether the command sees standard error as a terminal (progress then redraws one line).</summary>
    public bool ErrorIsTerminal { get; set; }

    public string Database => Path.Combine(_dir, "parley.db");

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public async Task<CliResult> RunAsync(string[] args, string input = "", CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            In = new StringReader(input),
            Out = output,
            Error = error,
            Environment = Environment,
            IsErrorTerminal = ErrorIsTerminal,
            TerminalWidth = () => 100,
            CurrentDirectory = Parley.Testing.TestPaths.Root,
        };
        // A command that unexpectedly keeps running (a server that starts when the test expected a refusal) fails the test
        // after this long instead of hanging the whole run.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(CommandTimeout);
        var code = await ParleyApp.RunAsync(args, context, limit.Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, recursive: true);
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Asserts that the command exited 0, showing what it wrote to standard error when it did not.</summary>
    public void AssertSucceeded() =>
        Assert.True(ExitCode == 0, $"exit code {ExitCode}, expected 0; stderr:\n{Error}\nstdout:\n{Output}");

    public JsonElement Json()
    {
        var lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected exactly one JSON line, got:\n{Output}\nstderr:\n{Error}");
        return JsonDocument.Parse(lines[0]).RootElement.Clone();
    }
}
