using System.Text.Json;

namespace Parley.Cli.Tests;

public sealed class DataCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Write(string name, string content)
    {
        var path = Path.Combine(_cli.Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string CleanCsv()
    {
        var rows = Enumerable.Range(0, 60).Select(i => $"\"request number {i}, please\",{(i % 3 == 0 ? "order" : i % 3 == 1 ? "refund" : "greet")}");
        return Write("data.csv", "text,intent\n" + string.Join('\n', rows) + "\n");
    }

    [Fact]
    public async Task DataSplit_CleanCsv_WritesSplitFilesAndSummary()
    {
        var data = CleanCsv();
        var output = Path.Combine(_cli.Directory, "split");

        var result = await _cli.RunAsync(["data", "split", "--data", data, "--out", output, "--val", "0.2", "--test", "0.1", "--seed", "3"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("train 42, val 12, test 6", result.Output);
        foreach (var name in new[] { "train.csv", "val.csv", "test.csv", "summary.json" })
        {
            Assert.True(File.Exists(Path.Combine(output, name)), name);
        }

        var lines = File.ReadAllLines(Path.Combine(output, "test.csv"));
        Assert.Equal("text,intent", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("\"request number ", lines[1]);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal(3, summary.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(4, summary.RootElement.GetProperty("intents").GetProperty("refund").GetProperty("val").GetInt32());
    }

    [Fact]
    public async Task DataSplit_SameSeedTwice_WritesIdenticalFiles()
    {
        var data = CleanCsv();
        var first = Path.Combine(_cli.Directory, "a");
        var second = Path.Combine(_cli.Directory, "b");

        await _cli.RunAsync(["data", "split", "--data", data, "--out", first]);
        await _cli.RunAsync(["data", "split", "--data", data, "--out", second]);

        Assert.Equal(File.ReadAllText(Path.Combine(first, "train.csv")), File.ReadAllText(Path.Combine(second, "train.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(first, "test.csv")), File.ReadAllText(Path.Combine(second, "test.csv")));
    }

    [Fact]
    public async Task DataSplitJson_CleanCsv_PrintsOneJsonSummary()
    {
        var result = await _cli.RunAsync(["data", "split", "--data", CleanCsv(), "--out", Path.Combine(_cli.Directory, "s"), "--json"]);

        result.AssertSucceeded();
        var json = result.Json();
        Assert.Equal(48, json.GetProperty("counts").GetProperty("train").GetInt32());
        Assert.StartsWith("sha256:", json.GetProperty("source_hash").GetString());
    }

    [Fact]
    public async Task DataSplit_DataWithErrors_RefusesWithEveryErrorLine()
    {
        var rows = string.Concat(Enumerable.Range(0, 25).Select(i => $"bad row {i}\n"));
        var data = Write("bad.csv", "text,intent\nfine,ok\n,empty\n" + rows);
        var output = Path.Combine(_cli.Directory, "out");

        var result = await _cli.RunAsync(["data", "split", "--data", data, "--out", output]);

        Assert.Equal(3, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{data}:3: empty text: every example needs an utterance", lines[0]);
        Assert.StartsWith($"{data}:4: wrong number of fields", lines[1]);
        Assert.Contains("... and 6 more", result.Error);
        Assert.Contains("has 26 errors", result.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task DataSplit_MissingFile_FailsWithMessage()
    {
        var result = await _cli.RunAsync(["data", "split", "--data", "nope.csv", "--out", Path.Combine(_cli.Directory, "o")]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("nope.csv: data file not found", result.Error);
    }

    [Fact]
    public async Task DataSplit_BadFractions_IsUsageError()
    {
        var result = await _cli.RunAsync(["data", "split", "--data", CleanCsv(), "--out", Path.Combine(_cli.Directory, "o"), "--val", "0.6", "--test", "0.5"]);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task DataCheck_CleanAndBadData_ExitCodesAndReport()
    {
        var clean = await _cli.RunAsync(["data", "check", "--data", CleanCsv()]);
        var bad = await _cli.RunAsync(["data", "check", "--data", Write("bad.jsonl", "{\"text\":\"hi\",\"intent\":\"greet\"}\n{\"text\":\"hi\",\"intent\":\"bye\"}\n"), "--json"]);

        clean.AssertSucceeded();
        Assert.Contains("60 items", clean.Output);
        Assert.Contains("0 errors", clean.Output);
        Assert.Equal(3, bad.ExitCode);
        var error = Assert.Single(bad.Json().GetProperty("errors").EnumerateArray());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.Contains("conflicting labels", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DataCheck_CustomColumnsAndFormat_ReadsThem()
    {
        var data = Write("data.txt", "utterance\tlabel\nhello\tgreet\n");

        var result = await _cli.RunAsync(["data", "check", "--data", data, "--format", "tsv", "--text-column", "utterance", "--label-column", "label", "--json"]);

        result.AssertSucceeded();
        Assert.Equal("tsv", result.Json().GetProperty("format").GetString());
        Assert.Equal(1, result.Json().GetProperty("items").GetInt32());
    }
}
