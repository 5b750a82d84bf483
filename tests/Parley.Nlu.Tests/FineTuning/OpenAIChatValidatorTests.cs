using Microsoft.Extensions.AI;
using Parley.Core.History;
using Parley.Nlu.Data;
using Parley.Nlu.FineTuning;

namespace Parley.Nlu.Tests.FineTuning;

public sealed class OpenAIChatValidatorTests
{
    private const string Good = """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""";

    private static string File(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";

    private static string Padded(int goodLines, params string[] lines) => File(lines.Concat(Enumerable.Repeat(Good, goodLines)));

    private static DatasetIssue SingleError(string content)
    {
        var report = OpenAIChatValidator.Validate("train.jsonl", content);
        return Assert.Single(report.Errors);
    }

    [Theory]
    [InlineData("[1,2]", "wrong data type")]
    [InlineData("not json", "wrong data type")]
    [InlineData("""{"prompt":"x"}""", "missing \"messages\"")]
    [InlineData("""{"messages":[{"content":"x"},{"role":"assistant","content":"y"}]}""", "missing \"role\"")]
    [InlineData("""{"messages":[{"role":"user"},{"role":"assistant","content":"y"}]}""", "missing \"content\"")]
    [InlineData("""{"messages":[{"role":"user","content":"x","mood":"sad"},{"role":"assistant","content":"y"}]}""", "unrecognised key \"mood\"")]
    [InlineData("""{"messages":[{"role":"bot","content":"x"},{"role":"assistant","content":"y"}]}""", "unrecognised role \"bot\"")]
    [InlineData("""{"messages":[{"role":"user","content":""},{"role":"assistant","content":"y"}]}""", "missing content")]
    [InlineData("""{"messages":[{"role":"user","content":null},{"role":"assistant","content":"y"}]}""", "missing content")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", "no assistant message")]
    [InlineData("""{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y","weight":2}]}""", "bad \"weight\"")]
    public void Validate_BadLine_ReportsOneErrorNamingTheLine(string line, string expected)
    {
        var error = SingleError(Padded(10, Good, line));

        Assert.Equal(2, error.Line);
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("train.jsonl:2: ", error.ToString());
    }

    [Fact]
    public void Validate_AssistantWithToolCallsAndNoContent_IsValid()
    {
        const string line = """{"messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"sunny"},{"role":"assistant","content":"Sunny.","weight":1}]}""";

        var report = OpenAIChatValidator.Validate("t.jsonl", Padded(10, line));

        Assert.Empty(report.Errors);
    }

    [Fact]
    public void Validate_FewerThanTen_IsErrorAndFewerThanFifty_IsWarning()
    {
        var nine = OpenAIChatValidator.Validate("t.jsonl", File(Enumerable.Repeat(Good, 9)));
        var twenty = OpenAIChatValidator.Validate("t.jsonl", File(Enumerable.Repeat(Good, 20)));
        var fifty = OpenAIChatValidator.Validate("t.jsonl", File(Enumerable.Repeat(Good, 50)));

        Assert.Contains("at least 10", Assert.Single(nine.Errors).Message);
        Assert.Empty(twenty.Errors);
        Assert.Contains("at least 50", Assert.Single(twenty.Warnings).Message);
        Assert.Empty(fifty.Errors);
        Assert.Empty(fifty.Warnings);
    }

    [Fact]
    public void Validate_ExampleOverTokenLimit_WarnsWithLineAndCapsBilledTokens()
    {
        var options = new OpenAIChatValidationOptions { MaxTokensPerExample = 20 };
        var longLine = $$"""{"messages":[{"role":"user","content":"{{string.Join(' ', Enumerable.Repeat("word", 50))}}"},{"role":"assistant","content":"ok"}]}""";

        var report = OpenAIChatValidator.Validate("t.jsonl", Padded(10, longLine), options);

        Assert.Empty(report.Errors);
        Assert.Equal(1, report.OverTokenLimit);
        var warning = Assert.Single(report.Warnings, w => w.Line == 1);
        Assert.Contains("truncated", warning.Message);
        Assert.True(report.TokensPerExample.Max > 20);
        Assert.Equal(20 + (10 * (long)report.TokensPerExample.Min), report.TokensPerEpoch);
    }

    [Fact]
    public void Validate_TokenCounts_EqualChatTokenCounter()
    {
        var report = OpenAIChatValidator.Validate("t.jsonl", File(Enumerable.Repeat(Good, 10)), new() { Model = "gpt-4o-mini" });
        var counter = ChatTokenCounter.ForModel("gpt-4o-mini");
        var expected = counter.CountTokens([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "hi"), new ChatMessage(ChatRole.Assistant, "hello")]);

        Assert.Equal(ChatTokenCounter.O200kBase, report.Encoding);
        Assert.Equal(expected, report.TokensPerExample.Median);
        Assert.Equal(counter.CountTokens("hello"), report.AssistantTokensPerExample.Max);
        Assert.Equal(10 * 10 * (long)expected, report.BilledTokens);
        Assert.Equal(ChatTokenCounter.Cl100kBase, OpenAIChatValidator.Validate("t.jsonl", Good, new() { Model = "gpt-3.5-turbo" }).Encoding);
    }

    [Fact]
    public void Validate_MixedExamples_CountsMissingSystemAndUserAndDistributions()
    {
        var lines = Enumerable.Range(1, 10).Select(i => i <= 4
            ? $$"""{"messages":[{"role":"user","content":"q{{i}}"},{"role":"assistant","content":"a"}]}"""
            : i <= 5 ? """{"messages":[{"role":"system","content":"s"},{"role":"assistant","content":"a"}]}""" : Good);

        var report = OpenAIChatValidator.Validate("t.jsonl", File(lines));

        Assert.Equal(4, report.MissingSystem);
        Assert.Equal(1, report.MissingUser);
        Assert.Equal(new ValueDistribution(10, 2, 3, 2.5, 2.5, 2, 3), report.MessagesPerExample);
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(20, 5)]
    [InlineData(40, 3)]
    [InlineData(1, 25)]
    [InlineData(8_333, 3)]
    [InlineData(10_000, 2)]
    [InlineData(30_000, 1)]
    public void DefaultEpochs_FollowsOpenAIFormula(int examples, int epochs) =>
        Assert.Equal(epochs, OpenAIChatConstants.DefaultEpochs(examples));

    [Fact]
    public void Validate_TwentyExamples_ChoosesFiveEpochs()
    {
        var report = OpenAIChatValidator.Validate("t.jsonl", File(Enumerable.Repeat(Good, 20)));

        Assert.Equal(5, report.Epochs);
        Assert.Equal(5 * report.TokensPerEpoch, report.BilledTokens);
    }

    [Fact]
    public void ValueDistribution_Create_InterpolatesPercentilesLikeNumpy()
    {
        var d = ValueDistribution.Create([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        Assert.Equal(new ValueDistribution(10, 1, 10, 5.5, 5.5, 1.9, 9.1), d with { P10 = Math.Round(d.P10, 6), P90 = Math.Round(d.P90, 6) });
    }
}
