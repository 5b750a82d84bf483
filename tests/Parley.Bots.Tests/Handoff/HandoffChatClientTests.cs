using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Bots.Handoff;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Routing;
using Parley.Core.Conversations;
using Parley.Testing;

namespace Parley.Bots.Tests.Handoff;

public sealed class HandoffChatClientTests : IAsyncLifetime
{
    private const string Fallback = "I don't know. Would you like a person?";
    private const string HandingOff = "I'm passing you to a colleague.";
    private WebhookTestServer _webhook = null!;

    public async Task InitializeAsync() => _webhook = await WebhookTestServer.StartAsync();

    public async Task DisposeAsync() => await _webhook.DisposeAsync();

    private HandoffSettings Settings(bool webhook = false, double deadlineSeconds = 10) => new()
    {
        AfterFallbacks = 2,
        Patterns = new RulePatterns(["talk to a person", "speak to a human"], []),
        Reply = HandingOff,
        WebhookUrl = webhook ? _webhook.Url : null,
        WebhookDeadline = TimeSpan.FromSeconds(deadlineSeconds),
        WebhookAttempts = 3,
    };

    private static IChatClient Client(HandoffSettings settings, IChatClient? inner = null) =>
        new ChatClientBuilder(inner ?? new FallbackChatClient(Fallback)).UseHandoff(settings, o => o.BotName = "clinic").Build();

    private static ChatMessage Assistant(string text, string route) =>
        new(ChatRole.Assistant, text) { AdditionalProperties = new() { [BotReplyInfo.RouteKey] = route } };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponseAsync_UserAsksForAPerson_HandsOffWithoutAskingTheBot(bool streaming)
    {
        var inner = new TestChatClient();
        var client = Client(Settings(), inner);
        ChatMessage[] messages = [new(ChatRole.User, "can I TALK to a   person please")];

        var response = streaming ? await client.GetStreamingResponseAsync(messages).ToChatResponseAsync() : await client.GetResponseAsync(messages);

        Assert.Equal(HandingOff, response.Text);
        var info = BotReplyInfo.From(response.AdditionalProperties);
        Assert.Equal((BotRoutes.Handoff, "request", (bool?)null), (info.Route, info.Handoff?.Reason, info.Handoff?.Delivered));
        var handoff = Assert.Single(ConversationEvents.From(response.AdditionalProperties));
        Assert.Equal(("handoff", "request"), (handoff.Kind, handoff.Data!["reason"]));
        Assert.Equal(0, inner.ResponseCalls + inner.StreamingCalls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponseAsync_SecondFallbackInARow_OffersThePersonAfterTheFallback(bool streaming)
    {
        var client = Client(Settings());
        ChatMessage[] first = [new(ChatRole.User, "what is the airspeed of a swallow?")];
        ChatMessage[] second = [.. first, Assistant(Fallback, BotRoutes.Fallback), new(ChatRole.User, "and of a duck?")];

        var one = streaming ? await client.GetStreamingResponseAsync(first).ToChatResponseAsync() : await client.GetResponseAsync(first);
        var two = streaming ? await client.GetStreamingResponseAsync(second).ToChatResponseAsync() : await client.GetResponseAsync(second);

        Assert.Equal(Fallback, one.Text);
        Assert.Null(BotReplyInfo.From(one.AdditionalProperties).Handoff);
        Assert.Equal(Fallback + "\n\n" + HandingOff, two.Text);
        var info = BotReplyInfo.From(two.AdditionalProperties);
        Assert.Equal((BotRoutes.Handoff, "fallbacks"), (info.Route, info.Handoff?.Reason));
        Assert.Equal("handoff", Assert.Single(ConversationEvents.From(two.AdditionalProperties)).Kind);
    }

    [Fact]
    public async Task GetResponseAsync_YesToTheFallbacksOffer_HandsOff()
    {
        ChatMessage[] messages = [new(ChatRole.User, "what is quantum gravity?"), Assistant(Fallback, BotRoutes.Fallback), new(ChatRole.User, "yes please")];

        var response = await Client(Settings()).GetResponseAsync(messages);

        Assert.Equal((HandingOff, "request"), (response.Text, BotReplyInfo.From(response.AdditionalProperties).Handoff?.Reason));
    }

    [Fact]
    public async Task GetResponseAsync_FallbacksWithAnAnswerBetween_NoHandoff()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.User, "a"), Assistant(Fallback, BotRoutes.Fallback),
            new(ChatRole.User, "b"), Assistant("We open at 8.", BotRoutes.Template),
            new(ChatRole.User, "c"),
        ];

        var response = await Client(Settings()).GetResponseAsync(messages);

        Assert.Equal(Fallback, response.Text);
        Assert.Equal(BotRoutes.Fallback, BotReplyInfo.From(response.AdditionalProperties).Route);
    }

    [Fact]
    public async Task GetResponseAsync_WebhookFailsTwiceThenAccepts_TranscriptPostedOnTheThirdAttempt()
    {
        _webhook.FailNext = 2;
        ChatMessage[] messages = [new(ChatRole.System, "persona"), new(ChatRole.User, "my results?"), Assistant("They take 5 days.", BotRoutes.Template), new(ChatRole.User, "let me speak to a human")];

        var response = await Client(Settings(webhook: true)).GetResponseAsync(messages);

        Assert.Equal(3, _webhook.Bodies.Count);
        var body = JsonDocument.Parse(_webhook.Bodies.Last()).RootElement;
        Assert.Equal(("clinic", "request"), (body.GetProperty("bot").GetString(), body.GetProperty("reason").GetString()));
        var transcript = body.GetProperty("transcript").EnumerateArray().Select(m => $"{m.GetProperty("role").GetString()}: {m.GetProperty("text").GetString()}").ToArray();
        Assert.Equal(["user: my results?", "assistant: They take 5 days.", "user: let me speak to a human", "assistant: " + HandingOff], transcript);
        Assert.True(BotReplyInfo.From(response.AdditionalProperties).Handoff?.Delivered);
        var webhook = ConversationEvents.From(response.AdditionalProperties).Single(e => e.Kind == "webhook");
        Assert.Equal(("true", "3", "204"), (webhook.Data!["delivered"], webhook.Data["attempts"], webhook.Data["status"]));
    }

    [Fact]
    public async Task GetResponseAsync_WebhookNeverAnswers_GivesUpAtTheDeadlineAndStillHandsOff()
    {
        _webhook.Hang = true;
        var started = DateTime.UtcNow;

        var response = await Client(Settings(webhook: true, deadlineSeconds: 1)).GetResponseAsync([new ChatMessage(ChatRole.User, "talk to a person")]);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
        Assert.Equal(HandingOff, response.Text);
        Assert.False(BotReplyInfo.From(response.AdditionalProperties).Handoff?.Delivered);
        var webhook = ConversationEvents.From(response.AdditionalProperties).Single(e => e.Kind == "webhook");
        Assert.Equal("false", webhook.Data!["delivered"]);
        Assert.Contains("deadline", webhook.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_HandoffOverStoredTurns_EventsStoredWithTheSession()
    {
        var store = new InMemoryConversationStore();
        var session = await ChatSession.OpenAsync(Client(Settings(webhook: true)), store, "clinic");

        await session.SendAsync("what colour is the sky on Neptune?");
        await session.SendStreamingAsync("and on Uranus?").ToChatResponseAsync();

        var stored = (await store.GetAsync(session.Id))!;
        Assert.Equal(["handoff", "webhook"], stored.Events.Select(e => e.Kind));
        Assert.Equal("fallbacks", stored.Events[0].Data!["reason"]);
        Assert.EndsWith(HandingOff, stored.Messages[^1].Message.Text);
        var body = JsonDocument.Parse(Assert.Single(_webhook.Bodies)).RootElement;
        Assert.Equal(4, body.GetProperty("transcript").GetArrayLength());
    }
}
