namespace Parley.Cli.Tests;

public sealed class ChatCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Chat_ScriptedInput_AnswersAndRunsSlashCommands()
    {
        var transcript = Path.Combine(_cli.Directory, "out", "chat.md");
        var input = string.Join('\n', "hi there", "/system Answer like a pirate.", "/system", "how long does shipping take?", "/sessions", $"/save {transcript}", "/exit", "never read");

        var result = await _cli.RunAsync(["chat", "--session", "c1"], input);

        result.AssertSucceeded();
        Assert.Contains("session c1", result.Output);
        Assert.Contains("Answer like a pirate.", result.Output);
        Assert.Contains("shipping.md", result.Output);
        Assert.Contains("c1 *", result.Output);
        var saved = await File.ReadAllTextAsync(transcript);
        Assert.Contains("hi there", saved);
        Assert.Contains("how long does shipping take?", saved);
        Assert.DoesNotContain("never read", result.Output);
    }

    [Fact]
    public async Task Chat_ResumedSession_ShowsEarlierMessagesAndKeepsSystemPrompt()
    {
        var first = await _cli.RunAsync(["chat", "--session", "c2", "--system", "Be terse."], "hello\n");
        Assert.True(first.ExitCode == 0, $"first chat failed ({first.ExitCode}): {first.Error}");

        var result = await _cli.RunAsync(["chat", "--session", "c2"], "/system\n");

        Assert.True(result.Output.Contains("Resuming: 2 earlier messages.", StringComparison.Ordinal), $"stdout:\n{first.Output}\n---\n{result.Output}\nstderr:\n{first.Error}\n---\n{result.Error}");
        Assert.Contains("Be terse.", result.Output);
    }

    [Fact]
    public async Task Chat_Reset_StartsANewSession()
    {
        var result = await _cli.RunAsync(["chat", "--session", "c3"], "hi\n/reset\nhi\n");
        var sessions = await _cli.RunAsync(["sessions", "list"]);

        Assert.Contains("New session", result.Output);
        Assert.Equal(2, sessions.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Chat_UnknownCommand_SaysSoAndContinues()
    {
        var result = await _cli.RunAsync(["chat"], "/frob\nthanks!\n");

        Assert.Contains("unknown command /frob", result.Error);
        result.AssertSucceeded();
    }
}
