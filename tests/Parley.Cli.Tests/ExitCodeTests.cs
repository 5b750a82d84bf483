namespace Parley.Cli.Tests;

/// <summary>The README's exit-code table holds for every command: a missing file is always a failure (3), named on one line.</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("ask --bot MISSING hi")]
    [InlineData("chat --bot MISSING")]
    [InlineData("serve --bot MISSING --urls http://127.0.0.1:1")]
    [InlineData("serve --api-keys-file MISSING --urls http://127.0.0.1:1")]
    [InlineData("nlu train --data MISSING --out OUT")]
    [InlineData("nlu eval --model MISSING --data MISSING")]
    [InlineData("data split --data MISSING --out OUT")]
    [InlineData("data validate --data MISSING --format openai-chat")]
    [InlineData("data to-openai --data MISSING --out OUT")]
    [InlineData("kb index --docs MISSING --index OUT")]
    [InlineData("kb search --index MISSING refunds")]
    [InlineData("kb eval --docs MISSING --queries MISSING")]
    [InlineData("finetune create --file MISSING --model all-MiniLM-L6-v2")]
    [InlineData("finetune eval --base a --tuned b --data MISSING")]
    public async Task Command_MissingFile_FailsWithCode3NamingIt(string command)
    {
        var missing = Path.Combine(_cli.Directory, "no-such-file");
        var args = command.Split(' ').Select(a => a switch { "MISSING" => missing, "OUT" => Path.Combine(_cli.Directory, "out"), _ => a }).ToArray();

        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("no-such-file", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("parley: ", StringComparison.Ordinal));
    }
}
