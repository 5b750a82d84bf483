using System.Text;

namespace Parley.Cli.Tests;

/// <summary>Bad data gets one line that says what is wrong (exit 3) or a warning — never a stack trace.</summary>
public sealed class NluBadDataTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Write(string name, string content) => Write(name, Encoding.UTF8.GetBytes(content));

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_cli.Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static void AssertOneLineError(CliResult result, string expected)
    {
        Assert.Equal(3, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("check")]
    public async Task HeaderOnlyCsv_IsAnErrorNotAStackTrace(string command)
    {
        var data = Write("header.csv", "text,intent\n");
        string[] args = command == "train" ? ["nlu", "train", "--data", data, "--out", Path.Combine(_cli.Directory, "m")] : ["data", "check", "--data", data];

        var result = await _cli.RunAsync(args);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no examples", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_EmptyFile_IsAnError()
    {
        AssertOneLineError(await _cli.RunAsync(["nlu", "train", "--data", Write("empty.csv", "")]), "the file is empty");
    }

    [Fact]
    public async Task Train_OneIntent_IsAnError()
    {
        var data = Write("one.csv", "text,intent\nhello,greet\nhi,greet\nhey,greet\n");

        AssertOneLineError(await _cli.RunAsync(["nlu", "train", "--data", data, "--out", Path.Combine(_cli.Directory, "m")]), "only one intent ('greet')");
    }

    [Fact]
    public async Task Train_TwoRows_WarnsThatNothingIsValidatedAndPrintsNoNaN()
    {
        var data = Write("two.csv", "text,intent\nhello,greet\nbye,leave\n");

        var result = await _cli.RunAsync(["nlu", "train", "--data", data, "--out", Path.Combine(_cli.Directory, "m")]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("warning: no intent has enough examples to hold any out for validation", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", result.Output, StringComparison.Ordinal);
        Assert.Contains("no validation items", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_NotUtf8_IsAnErrorNamingTheLine()
    {
        byte[] latin1 = [.. Encoding.ASCII.GetBytes("text,intent\nhello,greet\ncaf"), 0xE9, .. Encoding.ASCII.GetBytes(" au lait,order\n")];
        var data = Write("latin1.csv", latin1);

        AssertOneLineError(await _cli.RunAsync(["nlu", "train", "--data", data]), "latin1.csv:3: is not valid UTF-8");
        AssertOneLineError(await _cli.RunAsync(["data", "check", "--data", data]), "latin1.csv:3: is not valid UTF-8");
    }

    [Fact]
    public async Task Eval_LabelTheModelDoesNotKnow_Warns()
    {
        var rows = new StringBuilder("text,intent\n");
        foreach (var (intent, texts) in new[] { ("greet", new[] { "hello", "hi", "hey there", "good morning", "hiya", "hello again" }), ("leave", new[] { "bye", "goodbye", "see you", "farewell", "bye bye", "see you later" }) })
        {
            foreach (var text in texts)
            {
                rows.Append(text).Append(',').Append(intent).Append('\n');
            }
        }

        var model = Path.Combine(_cli.Directory, "m");
        var train = await _cli.RunAsync(["nlu", "train", "--data", Write("train.csv", rows.ToString()), "--out", model]);
        Assert.True(train.ExitCode == 0, train.Error);

        var eval = await _cli.RunAsync(["nlu", "eval", "--model", model, "--data", Write("test.csv", "text,intent\nhello,greet\nwhat's the time,clock\n")]);

        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("warning: ", eval.Error, StringComparison.Ordinal);
        Assert.Contains("1 item is labelled with intents the model does not know ('clock')", eval.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data check --data {0}")]
    [InlineData("nlu train --data {0} --out {1}")]
    [InlineData("data to-openai --data {0} --out {1}.jsonl")]
    [InlineData("data validate --data {0} --format openai-chat")]
    public async Task BinaryFile_IsRefusedNamingItsLineAndNeverEchoed(string command)
    {
        // Valid UTF-8 all the way, with a run of NUL bytes on line 2: a binary file, not text.
        var bytes = Encoding.UTF8.GetBytes("text,intent\n").Concat(new byte[600]).Concat(Encoding.UTF8.GetBytes(",greet\nhello,greet\n")).ToArray();
        var data = Write("binary.csv", bytes);
        var args = string.Format(System.Globalization.CultureInfo.InvariantCulture, command, data, Path.Combine(_cli.Directory, "out")).Split(' ');

        var result = await _cli.RunAsync(args);

        AssertOneLineError(result, "binary.csv:2: holds NUL characters: a binary file");
        Assert.DoesNotContain('\0', result.Output + result.Error);
    }

    [Theory]
    [InlineData("nlu train --data {0} --out {1}")]
    [InlineData("data split --data {0} --out {1}")]
    [InlineData("kb index --docs {2} --index {1}")]
    public async Task OutputFolderThatIsAFile_IsRefusedBeforeAnyWork(string command)
    {
        var data = Write("d.csv", "text,intent\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"hello {i},greet\nbye {i},leave\n")));
        var file = Write("taken.txt", "keep me");
        var docs = Directory.CreateDirectory(Path.Combine(_cli.Directory, "docs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(docs, "a.md"), "# Returns\nWithin 30 days.");
        var args = string.Format(System.Globalization.CultureInfo.InvariantCulture, command, data, file, docs).Split(' ');

        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{file}' is a file, and a folder is written there", result.Error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file));
        Assert.DoesNotContain("epoch", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_LargeDataWithoutYesAndNoTerminal_EstimatesAndRefuses()
    {
        var lines = Enumerable.Range(0, 50_001).Select(i => $"question number {i},intent{i % 5}");
        var data = Write("large.csv", "text,intent\n" + string.Join('\n', lines));

        var result = await _cli.RunAsync(["nlu", "train", "--data", data, "--features", "char-ngrams", "--out", Path.Combine(_cli.Directory, "m")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("50,001 training examples: char n-gram features need roughly", result.Error, StringComparison.Ordinal);
        Assert.Contains("pass --yes", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cli.Directory, "m")));
    }
}
