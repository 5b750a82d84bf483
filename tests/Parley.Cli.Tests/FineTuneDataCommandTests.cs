using System.CommandLine;
using Parley.Cli.Commands;

namespace Parley.Cli.Tests;

/// <summary>
/// <c>parley data to-openai</c> and <c>parley data validate</c>. They need ToOpenAICommand and ValidateCommand
/// registered under <c>parley data</c> (DataCommand.Create).
/// </summary>
public sealed class FineTuneDataCommandTests : IDisposable
{
    private const string Good = """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""";

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Write(string name, string content)
    {
        var path = Path.Combine(_cli.Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task ToOpenAI_IntentCsv_WritesChatJsonlThatValidates()
    {
        var rows = Enumerable.Range(0, 60).Select(i => $"\"request {i}\",{(i % 2 == 0 ? "order" : "refund")}");
        var data = Write("data.csv", "text,intent\n" + string.Join('\n', rows) + "\n");
        var output = Path.Combine(_cli.Directory, "train.jsonl");

        var convert = await _cli.RunAsync(["data", "to-openai", "--data", data, "--out", output, "--system", "Classify."]);
        var validate = await _cli.RunAsync(["data", "validate", "--data", output, "--format", "openai-chat", "--json"]);

        Assert.True(convert.ExitCode == 0, convert.Error);
        Assert.Contains("Wrote 60 examples", convert.Output);
        Assert.Equal("""{"messages":[{"role":"system","content":"Classify."},{"role":"user","content":"request 0"},{"role":"assistant","content":"order"}]}""", File.ReadLines(output).First());
        Assert.True(validate.ExitCode == 0, validate.Error + validate.Output);
        var json = validate.Json();
        Assert.Equal(60, json.GetProperty("examples").GetInt32());
        Assert.Equal(3, json.GetProperty("epochs").GetInt32());
        Assert.Equal(0, json.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task ToOpenAI_ChatlogCsv_OneExamplePerRow()
    {
        var data = Write("log.csv", "user,agent\nhi,hello\nbye,goodbye\n");
        var output = Path.Combine(_cli.Directory, "chat.jsonl");

        var result = await _cli.RunAsync(["data", "to-openai", "--data", data, "--out", output, "--from", "chatlog", "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(2, result.Json().GetProperty("examples").GetInt32());
        Assert.Equal(2, File.ReadAllLines(output).Length);
    }

    [Fact]
    public async Task Validate_BadFile_Exits3AndListsErrorsByLine()
    {
        var data = Write("bad.jsonl", string.Join('\n', Enumerable.Repeat(Good, 10).Append("""{"messages":[{"role":"user","content":"x"}]}""")) + "\n");

        var result = await _cli.RunAsync(["data", "validate", "--data", data, "--format", "openai-chat"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{data}:11: no assistant message", result.Output);
        Assert.Contains("Default epochs: 9", result.Output);
    }

    [Fact]
    public async Task Validate_ModelOption_PicksEncoding()
    {
        var data = Write("ok.jsonl", string.Join('\n', Enumerable.Repeat(Good, 10)) + "\n");

        var result = await _cli.RunAsync(["data", "validate", "--data", data, "--model", "gpt-4", "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("cl100k_base", result.Json().GetProperty("encoding").GetString());
    }

    [Fact]
    public async Task Subcommands_UnderDataCommand_ReuseParentOptionsWithoutClash()
    {
        var output = new StringWriter();
        var context = new CliContext { In = TextReader.Null, Out = output, Error = new StringWriter(), Environment = _cli.Environment, CurrentDirectory = _cli.Directory };
        var data = DataCommand.Create(context);
        foreach (var sub in new[] { ToOpenAICommand.Create(context), ValidateCommand.Create(context) }.Where(c => data.Subcommands.All(s => s.Name != c.Name)))
        {
            data.Subcommands.Add(sub);
        }

        var root = new RootCommand { data };
        var file = Write("log.jsonl", string.Join('\n', Enumerable.Repeat(Good, 12)) + "\n");

        var convert = await root.Parse(["data", "to-openai", "--data", "log.jsonl", "--from", "chatlog", "--format", "jsonl", "--out", "t.jsonl"]).InvokeAsync();
        var validate = await root.Parse(["data", "validate", "--data", "t.jsonl", "--format", "openai-chat", "--json"]).InvokeAsync();

        Assert.Equal(0, convert);
        Assert.Equal(0, validate);
        Assert.Contains("\"examples\":12", output.ToString());
        Assert.Contains("\"epochs\":8", output.ToString());
        Assert.True(File.Exists(file));
    }
}
