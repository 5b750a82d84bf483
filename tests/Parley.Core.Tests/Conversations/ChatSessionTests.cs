using Microsoft.Extensions.AI;
using Parley.Core.Conversations;
using Parley.Testing;

namespace Parley.Core.Tests.Conversations;

public sealed class ChatSessionTests
{
    private readonly InMemoryConversationStore _store = new();

    [Fact]
    public async Task SendAsync_StoresUserMessageAndReplyBeforeReturning()
    {
        var session = await ChatSession.OpenAsync(new TestChatClient(), _store, "bot", defaultSystemPrompt: "be nice");

        var response = await session.SendAsync("hello");

        var stored = (await _store.GetAsync(session.Id))!.Messages;
        Assert.Equal(["hello", "echo: hello"], stored.Select(m => m.Message.Text));
        Assert.All(stored, m => Assert.False(m.Incomplete));
        Assert.Equal("echo: hello", response.Text);
    }

    [Fact]
    public async Task SendAsync_SecondTurn_SendsSystemPromptAndHistory()
    {
        var seen = new List<ChatMessage>();
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                seen = messages.ToList();
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
            },
        };
        var session = await ChatSession.OpenAsync(client, _store, "bot", defaultSystemPrompt: "persona");

        await session.SendAsync("one");
        await session.SendAsync("two");

        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], seen.Select(m => m.Role));
        Assert.Equal(["persona", "one", "ok", "two"], seen.Select(m => m.Text));
    }

    [Fact]
    public async Task OpenAsync_ExistingSession_ResumesHistory()
    {
        var first = await ChatSession.OpenAsync(new TestChatClient(), _store, "bot");
        await first.SendAsync("remember me");

        var resumed = await ChatSession.OpenAsync(new TestChatClient(), _store, "bot", first.Id);

        Assert.Equal(first.Id, resumed.Id);
        Assert.Equal(2, resumed.Conversation.Messages.Count);
        Assert.Contains(resumed.BuildPrompt(new ChatMessage(ChatRole.User, "next")), m => m.Text == "remember me");
    }

    [Fact]
    public async Task OpenAsync_SessionOfAnotherBot_IsRefused()
    {
        var first = await ChatSession.OpenAsync(new TestChatClient(), _store, "shop");

        var e = await Assert.ThrowsAsync<ConversationStoreException>(() => ChatSession.OpenAsync(new TestChatClient(), _store, "other", first.Id));
        Assert.Contains("shop", e.Message);
    }

    [Fact]
    public async Task OpenAsync_UnknownId_CreatesSessionWithThatId()
    {
        var session = await ChatSession.OpenAsync(new TestChatClient(), _store, "bot", "my-id");

        Assert.Equal("my-id", session.Id);
        Assert.NotNull(await _store.GetAsync("my-id"));
    }

    [Fact]
    public async Task SendStreamingAsync_Completed_StoresReplyOnce()
    {
        var session = await ChatSession.OpenAsync(new TestChatClient(), _store, "bot");

        var text = string.Concat(await session.SendStreamingAsync("a b c").Select(u => u.Text).ToListAsync());

        var stored = (await _store.GetAsync(session.Id))!.Messages;
        Assert.Equal(2, stored.Count);
        Assert.Equal(text, stored[1].Message.Text);
        Assert.False(stored[1].Incomplete);
    }

    [Fact]
    public async Task SendStreamingAsync_StreamFailsMidway_StoresWhatArrivedAsIncomplete()
    {
        var client = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => TestChatClient.Updates(["Hello", " wor"], new IOException("connection reset"), ct),
        };
        var session = await ChatSession.OpenAsync(client, _store, "bot");

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var _ in session.SendStreamingAsync("hi"))
            {
            }
        });

        var reply = (await _store.GetAsync(session.Id))!.Messages[^1];
        Assert.Equal("Hello wor", reply.Message.Text);
        Assert.True(reply.Incomplete);
    }

    [Fact]
    public async Task SendStreamingAsync_CallerStopsReading_StoresPartialReplyAsIncomplete()
    {
        var client = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => TestChatClient.Updates(["echo:", " one", " two"], cancellationToken: ct),
        };
        var session = await ChatSession.OpenAsync(client, _store, "bot");
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in session.SendStreamingAsync("one two three four", cancellationToken: cts.Token))
            {
                cts.Cancel();
            }
        });

        var messages = (await _store.GetAsync(session.Id))!.Messages;
        Assert.Equal(2, messages.Count);
        Assert.True(messages[1].Incomplete);
        Assert.Equal("echo:", messages[1].Message.Text);
    }

    [Fact]
    public async Task SendAsync_ClientFails_UserMessageIsStillStored()
    {
        var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("down") };
        var session = await ChatSession.OpenAsync(client, _store, "bot");

        await Assert.ThrowsAsync<HttpRequestException>(() => session.SendAsync("are you there?"));

        Assert.Equal("are you there?", Assert.Single((await _store.GetAsync(session.Id))!.Messages).Message.Text);
    }

    [Fact]
    public async Task SendAsync_ReplyProperties_AreKeptWithTheStoredReply()
    {
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))
            {
                AdditionalProperties = new() { ["parley.route"] = "template" },
            }),
        };
        var session = await ChatSession.OpenAsync(client, _store, "bot");

        await session.SendAsync("hi");

        var reply = (await _store.GetAsync(session.Id))!.Messages[^1].Message;
        Assert.Equal("template", reply.AdditionalProperties?["parley.route"]);
    }

    [Fact]
    public async Task SetSystemPromptAsync_ReplacesPersonaAndPersists()
    {
        var session = await ChatSession.OpenAsync(new TestChatClient(), _store, "bot", defaultSystemPrompt: "persona");

        await session.SetSystemPromptAsync("talk like a pirate");

        Assert.Equal("talk like a pirate", session.BuildPrompt(new ChatMessage(ChatRole.User, "x"))[0].Text);
        Assert.Equal("talk like a pirate", (await _store.GetAsync(session.Id))!.SystemPrompt);
        await session.SetSystemPromptAsync(null);
        Assert.Equal("persona", session.SystemPrompt);
    }
}
