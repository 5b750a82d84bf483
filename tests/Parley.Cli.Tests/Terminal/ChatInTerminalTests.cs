using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Parley.Cli.Tests.Terminal;

/// <summary>
/// <c>parley chat</c> as a separate process in a pseudo-terminal (util-linux <c>script</c>, 40 columns): keys go in as a
/// terminal sends them, and the turns the bot received are read back from the session store.
/// </summary>
public sealed class ChatInTerminalTests : IDisposable
{
    private const string Left = "\u001b[D";
    private const string Up = "\u001b[A";
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Chat_Terminal_EditsLinesAndSendsWhatWasEdited()
    {
        var pasted = string.Concat(Enumerable.Repeat("a pasted line 粘贴的长行 ", 120)).Trim();
        await using var chat = ChatProcess.Start(_cli, "pty1");

        await chat.WaitForPromptAsync(1);
        await chat.SendAsync($"你好世界{Left}{Left}X\r");
        await chat.WaitForPromptAsync(2);
        await chat.SendAsync("never sent\u0003");
        await chat.WaitForPromptAsync(3);
        await chat.SendAsync($"{Up}?\r");
        await chat.WaitForPromptAsync(4);
        await chat.SendAsync(pasted + "\r");
        await chat.WaitForPromptAsync(5);
        await chat.SendAsync("delete me\u0015ok\r");
        await chat.WaitForPromptAsync(6);
        await chat.SendAsync("\u0004");
        var exitCode = await chat.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit {exitCode}:\n{chat.Screen}");
        // Ctrl+D on the empty prompt leaves it on a row of its own.
        var screen = chat.Screen;
        Assert.EndsWith("\n", screen, StringComparison.Ordinal);
        Assert.StartsWith("> ", screen.TrimEnd('\r', '\n')[(screen.TrimEnd('\r', '\n').LastIndexOf('\n') + 1)..], StringComparison.Ordinal);
        Assert.Contains("> never sent\r\u001b[12C^C", chat.Screen, StringComparison.Ordinal);
        Assert.Equal(["你好X世界", "你好X世界?", pasted, "ok"], await UserTurnsAsync("pty1"));
    }

    [Fact]
    public async Task Chat_Terminal_ControlCTwiceOnAnEmptyLineQuits()
    {
        await using var chat = ChatProcess.Start(_cli, "pty2");

        await chat.WaitForPromptAsync(1);
        await chat.SendAsync("\u0003");
        await chat.WaitForPromptAsync(2);
        await chat.SendAsync("\u0003");
        var exitCode = await chat.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit {exitCode}:\n{chat.Screen}");
        Assert.Contains("Ctrl+C again", chat.Screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_PipedInput_IsReadLineByLineWithoutEditing()
    {
        var start = ChatProcess.Command(_cli, "dotnet", ChatProcess.ParleyDll, "chat", "--session", "piped");
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        await process.StandardInput.WriteAsync("hello\u0015 there\nhow long does shipping take?\n");
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("\u001b[", await output, StringComparison.Ordinal);
        Assert.Equal(["hello\u0015 there", "how long does shipping take?"], await UserTurnsAsync("piped"));
    }

    private async Task<List<string>> UserTurnsAsync(string session)
    {
        var shown = await _cli.RunAsync(["sessions", "show", session, "--json"]);
        Assert.True(shown.ExitCode == 0, shown.Error);
        return JsonDocument.Parse(shown.Output).RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "user")
            .Select(m => m.GetProperty("content").GetString()!)
            .ToList();
    }

    /// <summary><c>parley chat</c> under <c>script</c>, with what it draws collected.</summary>
    private sealed class ChatProcess : IAsyncDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
        private readonly Process _process;
        private readonly StringBuilder _screen = new();
        private readonly Task _reading;

        private ChatProcess(Process process)
        {
            _process = process;
            _reading = Task.Run(async () =>
            {
                var buffer = new char[4096];
                int read;
                while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
                {
                    lock (_screen)
                    {
                        _screen.Append(buffer, 0, read);
                    }
                }
            });
        }

        public static string ParleyDll => Path.Combine(AppContext.BaseDirectory, "parley.dll");

        public string Screen
        {
            get
            {
                lock (_screen)
                {
                    return _screen.ToString();
                }
            }
        }

        public static ProcessStartInfo Command(CliRunner cli, string file, params string[] args)
        {
            var start = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Parley.Testing.TestPaths.Root,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (name, value) in cli.Environment)
            {
                start.Environment[name] = value;
            }

            start.Environment["TERM"] = "xterm";
            return start;
        }

        public static ChatProcess Start(CliRunner cli, string session)
        {
            var start = Command(cli, "script", "-qfec",
                $"stty cols 40 rows 20 && exec dotnet '{ParleyDll}' chat --session {session}", "/dev/null");
            start.RedirectStandardInput = true;
            start.StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            return new ChatProcess(Process.Start(start)!);
        }

        /// <summary>Waits until the prompt has been shown <paramref name="count"/> times (each on a fresh row).</summary>
        public async Task WaitForPromptAsync(int count)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (Occurrences(Screen, "\n> ") < count)
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"chat exited ({_process.ExitCode}) before prompt {count}:\n{Screen}\n{await _process.StandardError.ReadToEndAsync()}");
                }

                Assert.True(DateTime.UtcNow < deadline, $"no prompt {count} within {Patience}:\n{Screen}");
                await Task.Delay(50);
            }
        }

        public async Task SendAsync(string keys)
        {
            await _process.StandardInput.WriteAsync(keys);
            await _process.StandardInput.FlushAsync();
        }

        public async Task<int> WaitForExitAsync()
        {
            await _process.WaitForExitAsync().WaitAsync(Patience);
            await _reading.WaitAsync(Patience);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private static int Occurrences(string text, string part)
        {
            var count = 0;
            for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }
}
