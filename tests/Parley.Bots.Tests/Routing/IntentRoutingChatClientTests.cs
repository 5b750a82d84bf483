using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Routing;
using Parley.Testing;

namespace Parley.Bots.Tests.Routing;

public sealed class IntentRoutingChatClientTests
{
    private static readonly BotPack Pack = new(
        Path.GetTempPath(),
        new BotManifest { Name = "t", Thresholds = new BotThresholds { Intent = 0.7 } },
        [
            new IntentDefinition { Name = "greet", Examples = ["hi"], Response = "Hello there!" },
            new IntentDefinition { Name = "open", Examples = ["open?"], Response = null },
        ]);

    private static readonly TableClassifier Classifier = new(new()
    {
        ["hi"] = ("greet", 0.93),
        ["meh"] = ("oos", 0.59),
        ["when are you open"] = ("open", 0.9),
    });

    private static (IntentRoutingChatClient Client, List<IEnumerable<ChatMessage>> Calls) Create()
    {
        var calls = new List<IEnumerable<ChatMessage>>();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                calls.Add(messages);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "inner")));
            },
            GetStreamingResponseAsyncCallback = (messages, _, _) =>
            {
                calls.Add(messages);
                return new[] { new ChatResponseUpdate(ChatRole.Assistant, "in"), new ChatResponseUpdate(ChatRole.Assistant, "ner") }.ToAsyncEnumerable();
            },
        };
        return (new IntentRoutingChatClient(inner, Classifier, Pack), calls);
    }

    [Fact]
    public async Task GetResponseAsync_ConfidentIntentWithTemplate_AnswersWithoutInner()
    {
        var (client, calls) = Create();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("Hello there!", response.Text);
        Assert.Empty(calls);
        var info = BotReplyInfo.From(response.AdditionalProperties);
        Assert.Equal(BotRoutes.Template, info.Route);
        Assert.Equal(new IntentMatch("greet", 0.93), info.Intent);
    }

    [Fact]
    public async Task GetResponseAsync_OutOfScope_DelegatesAndReportsNoIntent()
    {
        var (client, calls) = Create();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "meh")]);

        Assert.Equal("inner", response.Text);
        Assert.Single(calls);
        Assert.Null(BotReplyInfo.From(response.AdditionalProperties).Intent);
    }

    [Fact]
    public async Task GetResponseAsync_ConfidentIntentWithoutTemplate_DelegatesAndReportsIntent()
    {
        var (client, calls) = Create();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "when are you open")]);

        Assert.Equal("inner", response.Text);
        Assert.Single(calls);
        Assert.Equal("open", BotReplyInfo.From(response.AdditionalProperties).Intent?.Name);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConfidentIntent_StreamsTemplateWithRoute()
    {
        var (client, calls) = Create();

        var response = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]).ToChatResponseAsync();

        Assert.Equal("Hello there!", response.Text);
        Assert.Empty(calls);
        Assert.Equal(BotRoutes.Template, BotReplyInfo.From(response.AdditionalProperties).Route);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_NoIntent_PassesInnerUpdatesThrough()
    {
        var (client, calls) = Create();

        var response = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "when are you open")]).ToChatResponseAsync();

        Assert.Equal("inner", response.Text);
        Assert.Single(calls);
        Assert.Equal("open", BotReplyInfo.From(response.AdditionalProperties).Intent?.Name);
    }

    [Fact]
    public async Task GetResponseAsync_LastMessageNotFromUser_Delegates()
    {
        var (client, calls) = Create();

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi"), new ChatMessage(ChatRole.Assistant, "hi")]);

        Assert.Single(calls);
    }
}
