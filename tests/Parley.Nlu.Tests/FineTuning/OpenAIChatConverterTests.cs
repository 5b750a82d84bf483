using System.Text.Json;
using Parley.Nlu.Data;
using Parley.Nlu.FineTuning;
using Parley.Nlu.Tests.Data;

namespace Parley.Nlu.Tests.FineTuning;

public sealed class OpenAIChatConverterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task FromIntents_CsvToJsonl_AssistantAnswersWithIntentAndFileValidates()
    {
        var rows = Enumerable.Range(0, 12).Select(i => $"\"order {i}, please\",{(i % 2 == 0 ? "order" : "refund")}");
        var data = await DatasetReader.ReadAsync(_folder.Write("d.csv", "text,intent\n" + string.Join('\n', rows) + "\n"));
        var output = Path.Combine(_folder.Path, "out", "train.jsonl");

        await OpenAIChatWriter.WriteAsync(output, OpenAIChatConverter.FromIntents(data.AllItems, "Answer with the intent."));

        var lines = File.ReadAllLines(output);
        Assert.Equal(12, lines.Length);
        Assert.Equal("""{"messages":[{"role":"system","content":"Answer with the intent."},{"role":"user","content":"order 0, please"},{"role":"assistant","content":"order"}]}""", lines[0]);
        var report = await OpenAIChatValidator.ValidateAsync(output);
        Assert.Empty(report.Errors);
        Assert.Equal(0, report.MissingSystem);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp"));
    }

    [Fact]
    public void FromIntents_NoSystem_WritesUserAndAssistantOnly()
    {
        var example = Assert.Single(OpenAIChatConverter.FromIntents([new DatasetItem("hi", "greet", 7)]));

        Assert.Equal(7, example.Line);
        Assert.Equal(["user", "assistant"], example.Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task ChatLog_JsonlConversationsAndMessages_RoundTripWithWeightToolsAndAliases()
    {
        var path = _folder.Write("log.jsonl",
            """{"conversation":[{"role":"customer","content":"hi"},{"role":"agent","content":"hello","weight":0},{"role":"user","content":"bye"},{"role":"bot","content":"bye!"}]}""" + "\n\n" +
            """{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"}],"tools":[{"type":"function","function":{"name":"f"}}]}""" + "\n");

        var log = await ChatLogReader.ReadAsync(path, new ChatLogReadOptions { SystemPrompt = "S" });
        var output = Path.Combine(_folder.Path, "train.jsonl");
        await OpenAIChatWriter.WriteAsync(output, log.Examples);

        Assert.Empty(log.Errors);
        Assert.Equal([1, 3], log.Examples.Select(e => e.Line));
        var lines = File.ReadAllLines(output);
        Assert.Equal("""{"messages":[{"role":"system","content":"S"},{"role":"user","content":"hi"},{"role":"assistant","content":"hello","weight":0},{"role":"user","content":"bye"},{"role":"assistant","content":"bye!"}]}""", lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("f", second.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        var reread = await ChatLogReader.ReadAsync(output);
        Assert.Equal(log.Examples.Select(e => e.Messages.Count), reread.Examples.Select(e => e.Messages.Count));
    }

    [Fact]
    public async Task ChatLog_JsonlBadLines_ReportedByLine()
    {
        var path = _folder.Write("log.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}\n{oops\n{\"text\":\"x\"}\n");

        var log = await ChatLogReader.ReadAsync(path);

        Assert.Equal([2, 3], log.Errors.Select(e => e.Line));
        Assert.Single(log.Examples);
    }

    [Fact]
    public async Task ChatLog_CsvPairsWithConversationColumn_OneExamplePerConversation()
    {
        var path = _folder.Write("log.csv",
            "conv,question,answer\n" +
            "a,hi,hello\n" +
            "a,\"where, exactly?\",here\n" +
            "b,bye,goodbye\n");

        var log = await ChatLogReader.ReadAsync(path, new ChatLogReadOptions { UserColumn = "question", AgentColumn = "answer", ConversationColumn = "conv" });

        Assert.Equal(2, log.Examples.Count);
        Assert.Equal(2, log.Examples[0].Line);
        Assert.Equal(["hi", "hello", "where, exactly?", "here"], log.Examples[0].Messages.Select(m => m.Content));
        Assert.Equal(["user", "assistant"], log.Examples[1].Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task ChatLog_CsvWithoutConversationColumn_OneExamplePerRow()
    {
        var log = await ChatLogReader.ReadAsync(_folder.Write("log.csv", "user,agent\nhi,hello\nbye,goodbye\n"));

        Assert.Equal(2, log.Examples.Count);
    }

    [Fact]
    public async Task ChatLog_CsvMissingColumn_ThrowsDatasetExceptionNamingColumns()
    {
        var e = await Assert.ThrowsAsync<DatasetException>(() => ChatLogReader.ReadAsync(_folder.Write("log.csv", "q,a\nhi,hello\n")));

        Assert.Contains("'user' and 'agent'", e.Message);
    }
}
