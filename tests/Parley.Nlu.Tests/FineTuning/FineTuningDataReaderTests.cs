using Parley.Nlu.Data;
using Parley.Nlu.FineTuning;

namespace Parley.Nlu.Tests.FineTuning;

public sealed class FineTuningDataReaderTests
{
    private static string Chat(string user, string reply) =>
        $$"""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"{{user}}"},{"role":"assistant","content":"{{reply}}"}]}""";

    private static string ChatFile(params string[] extra) =>
        string.Join('\n', Enumerable.Range(0, 10).Select(i => Chat($"question {i}", i % 2 == 0 ? "Even." : "Odd.")).Concat(extra)) + "\n";

    [Fact]
    public void Read_ChatFile_IsChatWithOneExamplePerReply()
    {
        var data = FineTuningDataReader.Read("train.jsonl", ChatFile());

        Assert.Equal(FineTuningDataKind.Chat, data.Kind);
        Assert.Equal(10, data.Examples.Count);
        Assert.Equal(("question 3", "Odd."), (data.Examples[3].Text, data.Examples[3].Intent));
        Assert.True(data.Tokens > 0);
    }

    [Fact]
    public void Read_IntentFile_AcceptsLabelOrIntent()
    {
        var data = FineTuningDataReader.Read("intents.jsonl", """
            {"text": "hello there", "label": "greet"}

            {"text": "bye", "intent": "goodbye"}
            """);

        Assert.Equal(FineTuningDataKind.Intents, data.Kind);
        Assert.Equal(["greet", "goodbye"], data.Examples.Select(e => e.Intent));
    }

    [Fact]
    public void Read_ChatFileWithBadLine_ThrowsNamingTheLine()
    {
        var content = ChatFile("""{"messages":[{"role":"user","content":"x"}]}""");

        var error = Assert.Throws<DatasetException>(() => FineTuningDataReader.Read("train.jsonl", content));

        Assert.Equal(11, error.Line);
        Assert.StartsWith("train.jsonl:11: no assistant message", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"text\": \"hi\", \"label\": \"greet\"}\n{\"text\": \"yo\"}\n", 2, "\"intent\"")]
    [InlineData("{\"text\": \"hi\", \"label\": \"greet\"}\n\n[1]\n", 3, "JSON object")]
    [InlineData("{\"prompt\": \"hi\", \"completion\": \"x\"}\n", 1, "cannot tell the kind")]
    [InlineData("{\"text\": \"hi\", \"label\": \"greet\"}\n{\"text\": \"yo\", \"label\": \"greet\"\n", 2, "not valid JSON")]
    public void Read_BadIntentFile_ThrowsNamingTheLine(string content, int line, string expected)
    {
        var error = Assert.Throws<DatasetException>(() => FineTuningDataReader.Read("intents.jsonl", content));

        Assert.Equal(line, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ChatFileWhereEveryReplyHasWeightZero_Throws()
    {
        var lines = Enumerable.Range(0, 10).Select(i => $$"""{"messages":[{"role":"user","content":"q{{i}}"},{"role":"assistant","content":"a","weight":0}]}""");

        var error = Assert.Throws<DatasetException>(() => FineTuningDataReader.Read("train.jsonl", string.Join('\n', lines)));

        Assert.Contains("no assistant message to learn from", error.Message, StringComparison.Ordinal);
    }
}
