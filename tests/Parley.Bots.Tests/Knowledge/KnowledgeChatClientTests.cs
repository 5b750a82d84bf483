using Microsoft.Extensions.AI;
using Parley.Bots.Knowledge;
using Parley.Bots.Replies;
using Parley.Testing;

namespace Parley.Bots.Tests.Knowledge;

public sealed class KnowledgeChatClientTests
{
    private static readonly FixedSearch Search = new(
        FixedSearch.Hit("shipping.md", "Delivery times", "Standard delivery takes 2-4 business days.", 0.71),
        FixedSearch.Hit("returns.md", "Window", "You have 30 days to return an item.", 0.52),
        FixedSearch.Hit("privacy.md", "Cookies", "We use cookies.", 0.20));

    private static TestChatClient Inner(List<List<ChatMessage>> calls, string reply) => new()
    {
        GetResponseAsyncCallback = (messages, _, _) =>
        {
            calls.Add(messages.ToList());
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        },
        GetStreamingResponseAsyncCallback = (messages, _, _) =>
        {
            calls.Add(messages.ToList());
            return reply.Split(' ').Select((w, i) => new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? w : " " + w)).ToAsyncEnumerable();
        },
    };

    private static readonly ChatMessage[] Question = [new(ChatRole.System, "persona"), new(ChatRole.User, "how long is delivery?")];

    [Fact]
    public async Task GetResponseAsync_QuoteModeAboveThreshold_QuotesBestPassageWithSource()
    {
        var calls = new List<List<ChatMessage>>();
        var client = new KnowledgeChatClient(Inner(calls, "fallback"), Search, KnowledgeMode.Quote, threshold: 0.45);

        var response = await client.GetResponseAsync(Question);

        Assert.Empty(calls);
        Assert.Contains("Standard delivery takes 2-4 business days.", response.Text);
        Assert.Contains("shipping.md", response.Text);
        var info = BotReplyInfo.From(response.AdditionalProperties);
        Assert.Equal(BotRoutes.Retrieval, info.Route);
        var source = Assert.Single(info.Sources);
        Assert.Equal("shipping.md", source.Source);
        Assert.Equal(0.71, source.Score);
    }

    [Fact]
    public async Task GetResponseAsync_QuoteModeLongPassage_QuotesOnlyTheSentencesThatAnswer()
    {
        var search = new FixedSearch(FixedSearch.Hit(
            "damaged-items.md",
            "What happens next",
            "- **Replacement:** we dispatch a replacement within 2 business days.\n- **Refund:** we refund the item in full to your original payment method.\n- **Broken glass:** you do not need to send these back.\n- **Other items:** we may email you a free return label.",
            0.49));
        var client = new KnowledgeChatClient(Inner([], "fallback"), search, KnowledgeMode.Quote, threshold: 0.45);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi, my kettle arrived yesterday and the lid is dented. Can you replace it or refund me?")]);

        Assert.Contains("> - **Replacement:** we dispatch a replacement within 2 business days.", response.Text);
        Assert.Contains("> - **Refund:** we refund the item in full", response.Text);
        Assert.DoesNotContain("Broken glass", response.Text);
        Assert.Contains("Source: damaged-items.md", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_QuoteModeNothingRelevant_Delegates()
    {
        var calls = new List<List<ChatMessage>>();
        var client = new KnowledgeChatClient(Inner(calls, "I don't know."), Search, KnowledgeMode.Quote, threshold: 0.9);

        var response = await client.GetResponseAsync(Question);

        Assert.Single(calls);
        Assert.Equal("I don't know.", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_GroundMode_GivesNumberedSourcesAfterSystemPromptAndResolvesCitations()
    {
        var calls = new List<List<ChatMessage>>();
        var client = new KnowledgeChatClient(Inner(calls, "It takes 2-4 days [1]."), Search, KnowledgeMode.Ground, threshold: 0.45);

        var response = await client.GetResponseAsync(Question);

        var sent = Assert.Single(calls);
        Assert.Equal(3, sent.Count);
        Assert.Equal("persona", sent[0].Text);
        Assert.Equal(ChatRole.System, sent[1].Role);
        Assert.Contains("[1] Doc shipping.md", sent[1].Text);
        Assert.Contains("[2] Doc returns.md", sent[1].Text);
        Assert.DoesNotContain("cookies", sent[1].Text);
        Assert.Equal("how long is delivery?", sent[2].Text);

        var info = BotReplyInfo.From(response.AdditionalProperties);
        Assert.Equal(BotRoutes.Llm, info.Route);
        Assert.Equal("shipping.md", Assert.Single(info.Sources).Source);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_GroundMode_StreamsInnerAndReportsCitedSources()
    {
        var calls = new List<List<ChatMessage>>();
        var client = new KnowledgeChatClient(Inner(calls, "Returns within 30 days [2]."), Search, KnowledgeMode.Ground, threshold: 0.45);

        var updates = await client.GetStreamingResponseAsync(Question).ToListAsync();
        var response = updates.ToChatResponse();

        Assert.True(updates.Count > 2);
        Assert.Equal("Returns within 30 days [2].", response.Text);
        var info = BotReplyInfo.From(response.AdditionalProperties);
        Assert.Equal(BotRoutes.Llm, info.Route);
        Assert.Equal("returns.md", Assert.Single(info.Sources).Source);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_QuoteMode_StreamsTheQuote()
    {
        var calls = new List<List<ChatMessage>>();
        var client = new KnowledgeChatClient(Inner(calls, "x"), Search, KnowledgeMode.Quote, threshold: 0.45);

        var response = await client.GetStreamingResponseAsync(Question).ToChatResponseAsync();

        Assert.Empty(calls);
        Assert.Contains("2-4 business days", response.Text);
        Assert.Equal(BotRoutes.Retrieval, BotReplyInfo.From(response.AdditionalProperties).Route);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task QuoteMode_QuotedReply_CarriesACitationAnnotationOverTheWholeText(bool stream)
    {
        var client = new KnowledgeChatClient(Inner([], "x"), Search, KnowledgeMode.Quote, threshold: 0.45);

        var response = stream ? await client.GetStreamingResponseAsync(Question).ToChatResponseAsync() : await client.GetResponseAsync(Question);

        var citation = Assert.Single(ReplyCitations.Read(response));
        Assert.Equal((0, response.Text.Length), (citation.Start, citation.End));
        Assert.Equal("shipping.md", citation.Annotation.Url?.OriginalString);
        Assert.Equal("Doc shipping.md › Delivery times", citation.Annotation.Title);
        Assert.Equal(BotReplyInfo.From(response.AdditionalProperties).Sources[0].Id, citation.PassageId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GroundMode_ReplyCitingTwoSources_CarriesACitationOnEachMarker(bool stream)
    {
        const string Reply = "Delivery takes 2-4 days [1]. You can return it within 30 days [2]. See [7].";
        var client = new KnowledgeChatClient(Inner([], Reply), Search, KnowledgeMode.Ground, threshold: 0.45);

        var response = stream ? await client.GetStreamingResponseAsync(Question).ToChatResponseAsync() : await client.GetResponseAsync(Question);

        Assert.Equal(Reply, response.Text);
        var citations = ReplyCitations.Read(response);
        Assert.Equal(["[1]", "[2]"], citations.Select(c => response.Text[c.Start..c.End]));
        Assert.Equal(["shipping.md", "returns.md"], citations.Select(c => c.Annotation.Url?.OriginalString));
        Assert.Equal("Standard delivery takes 2-4 business days.", citations[0].Annotation.Snippet);
        Assert.Equal(BotReplyInfo.From(response.AdditionalProperties).Sources.Select(s => s.Id), citations.Select(c => c.PassageId));
    }

    [Fact]
    public async Task GroundMode_ReplyCitingNothing_HasNoCitationAnnotations()
    {
        var client = new KnowledgeChatClient(Inner([], "I do not know."), Search, KnowledgeMode.Ground, threshold: 0.45);

        var response = await client.GetStreamingResponseAsync(Question).ToChatResponseAsync();

        Assert.Empty(ReplyCitations.Read(response));
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c.Annotations is { Count: > 0 });
    }
}
