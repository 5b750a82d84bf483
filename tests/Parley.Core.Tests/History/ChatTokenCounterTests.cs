using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using Parley.Core.History;

namespace Parley.Core.Tests.History;

public sealed class ChatTokenCounterTests
{
    private static readonly Tokenizer s_o200k = TiktokenTokenizer.CreateForModel("gpt-4o");
    private static readonly Tokenizer s_cl100k = TiktokenTokenizer.CreateForModel("gpt-3.5-turbo");

    // The example from OpenAI's cookbook "How to count tokens with tiktoken"; the API reported
    // 129 prompt tokens for gpt-3.5-turbo / gpt-4 and 124 for gpt-4o / gpt-4o-mini.
    private static List<ChatMessage> CookbookExample() =>
    [
        new(ChatRole.System, "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."),
        new(ChatRole.System, "New synergies will help drive top-line growth.") { AuthorName = "example_user" },
        new(ChatRole.System, "Things working well together will increase revenue.") { AuthorName = "example_assistant" },
        new(ChatRole.System, "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.") { AuthorName = "example_user" },
        new(ChatRole.System, "Let's talk later when we're less busy about how to do better.") { AuthorName = "example_assistant" },
        new(ChatRole.User, "This late pivot means we don't have time to boil the ocean for the client deliverable."),
    ];

    [Theory]
    [InlineData("gpt-4o", ChatTokenCounter.O200kBase)]
    [InlineData("gpt-4o-mini", ChatTokenCounter.O200kBase)]
    [InlineData("gpt-4.1-nano", ChatTokenCounter.O200kBase)]
    [InlineData("gpt-5-mini", ChatTokenCounter.O200kBase)]
    [InlineData("o3-mini", ChatTokenCounter.O200kBase)]
    [InlineData("openai/GPT-4o", ChatTokenCounter.O200kBase)]
    [InlineData("gpt-3.5-turbo", ChatTokenCounter.Cl100kBase)]
    [InlineData("gpt-4", ChatTokenCounter.Cl100kBase)]
    [InlineData("llama3:8b", ChatTokenCounter.Cl100kBase)]
    [InlineData("some-unknown-model", ChatTokenCounter.Cl100kBase)]
    [InlineData("", ChatTokenCounter.Cl100kBase)]
    public void ForModel_ModelId_PicksEncoding(string modelId, string expected)
    {
        Assert.Equal(expected, ChatTokenCounter.GetEncodingForModel(modelId));
        Assert.Equal(expected, ChatTokenCounter.ForModel(modelId).Encoding);
    }

    [Fact]
    public void ForModel_EncodingForced_UsesForcedEncoding()
    {
        var counter = ChatTokenCounter.ForModel("gpt-3.5-turbo", "O200K_BASE");

        Assert.Equal(ChatTokenCounter.O200kBase, counter.Encoding);
        const string text = "Schöne Grüße — 你好, world! 🎉";
        Assert.Equal(s_o200k.CountTokens(text), counter.CountTokens(text));
        Assert.NotEqual(s_cl100k.CountTokens(text), counter.CountTokens(text));
    }

    [Fact]
    public void ForModel_UnknownEncoding_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ChatTokenCounter.ForModel("gpt-4o", "p50k_base"));
        Assert.Contains("p50k_base", ex.Message);
    }

    [Fact]
    public void ForModel_SameEncoding_SharesTokenizer()
    {
        Assert.Same(ChatTokenCounter.ForModel("gpt-4o").Tokenizer, ChatTokenCounter.ForModel("gpt-5").Tokenizer);
        Assert.NotSame(ChatTokenCounter.ForModel("gpt-4o").Tokenizer, ChatTokenCounter.ForModel("gpt-4").Tokenizer);
    }

    [Theory]
    [InlineData("gpt-3.5-turbo", 129)]
    [InlineData("gpt-4", 129)]
    [InlineData("gpt-4o", 124)]
    [InlineData("gpt-4o-mini", 124)]
    public void CountTokens_CookbookExample_MatchesOpenAIReportedPromptTokens(string modelId, int expected)
    {
        Assert.Equal(expected, ChatTokenCounter.ForModel(modelId).CountTokens(CookbookExample()));
    }

    [Fact]
    public void CountTokens_TextMessages_EqualTokenizerPlusDocumentedOverhead()
    {
        var counter = ChatTokenCounter.ForModel("gpt-4o");
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are terse."),
            new(ChatRole.User, "What is the capital of France?") { AuthorName = "alice" },
            new(ChatRole.Assistant, "Paris."),
        ];

        int expected =
            3 + s_o200k.CountTokens("system") + s_o200k.CountTokens("You are terse.")
            + 3 + s_o200k.CountTokens("user") + s_o200k.CountTokens("What is the capital of France?") + s_o200k.CountTokens("alice") + 1
            + 3 + s_o200k.CountTokens("assistant") + s_o200k.CountTokens("Paris.")
            + 3;

        Assert.Equal(expected, counter.CountTokens(messages));
        Assert.Equal(expected - ChatTokenCounter.ReplyPrimingTokens, messages.Sum(counter.CountTokens));
    }

    // Microsoft.Extensions.AI's OpenAI adapter sends arguments and non-string results as indented JSON
    // (AIJsonUtilities.DefaultOptions), so that is what is counted.
    [Fact]
    public void CountTokens_ToolCallAndResult_CountNameArgumentsAndResultText()
    {
        var counter = ChatTokenCounter.ForModel("gpt-3.5-turbo");
        var arguments = new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3 };
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", arguments)]);
        var result = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", "Sunny, 21 °C")]);
        var objectResult = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_2", new Dictionary<string, int> { ["temp"] = 21 })]);

        Assert.Equal(
            3 + s_cl100k.CountTokens("assistant") + s_cl100k.CountTokens("get_weather") + s_cl100k.CountTokens("{\n  \"city\": \"Paris\",\n  \"days\": 3\n}"),
            counter.CountTokens(call));
        Assert.Equal(3 + s_cl100k.CountTokens("tool") + s_cl100k.CountTokens("Sunny, 21 °C"), counter.CountTokens(result));
        Assert.Equal(3 + s_cl100k.CountTokens("tool") + s_cl100k.CountTokens("{\n  \"temp\": 21\n}"), counter.CountTokens(objectResult));
    }

    [Fact]
    public void CountTokens_EmptyText_IsZero()
    {
        Assert.Equal(0, ChatTokenCounter.ForModel("gpt-4o").CountTokens(string.Empty));
    }

    [Fact]
    public void CountTokens_JsonArgumentsFromProvider_CountedAsSent()
    {
        var counter = ChatTokenCounter.ForModel("gpt-4o");
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"q":"weather in Oslo"}""")!;
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c", "search", args)]);

        Assert.Equal(
            3 + s_o200k.CountTokens("assistant") + s_o200k.CountTokens("search") + s_o200k.CountTokens("{\n  \"q\": \"weather in Oslo\"\n}"),
            counter.CountTokens(call));
    }
}
