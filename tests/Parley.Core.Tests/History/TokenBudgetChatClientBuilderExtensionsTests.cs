using Microsoft.Extensions.AI;
using Parley.Core.History;
using Parley.Testing;

namespace Parley.Core.Tests.History;

public sealed class TokenBudgetChatClientBuilderExtensionsTests
{
    private static readonly ChatTokenCounter s_counter = ChatTokenCounter.ForModel("gpt-4o");

    private static (List<ChatMessage> History, TokenBudgetOptions Options) LongHistory()
    {
        List<ChatMessage> history = [new(ChatRole.System, "You are terse.")];
        for (int i = 0; i < 20; i++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"Message {i}: please remember the number {i * 7}."));
            history.Add(new ChatMessage(ChatRole.Assistant, $"Noted: {i * 7}."));
        }

        // Room for the system prompt and the last three messages only.
        int room = history.Take(1).Concat(history.TakeLast(3)).Sum(s_counter.CountTokens) + ChatTokenCounter.ReplyPrimingTokens;
        return (history, new TokenBudgetOptions { ModelId = "gpt-4o", ReplyBudget = 50, ContextWindow = room + 50 });
    }

    // The inner client records what it was sent.
    private static (TestChatClient Inner, List<List<ChatMessage>> Sent) RecordingClient()
    {
        var sent = new List<List<ChatMessage>>();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                sent.Add([.. messages]);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
            },
            GetStreamingResponseAsyncCallback = (messages, _, cancellationToken) =>
            {
                sent.Add([.. messages]);
                return TestChatClient.Updates(["ok"], cancellationToken: cancellationToken);
            },
        };
        return (inner, sent);
    }

    [Fact]
    public async Task UseTokenBudget_GetResponse_InnerClientReceivesTrimmedHistory()
    {
        var (history, options) = LongHistory();
        var (inner, sent) = RecordingClient();
        using IChatClient client = new ChatClientBuilder(inner).UseTokenBudget(options).Build();

        var response = await client.GetResponseAsync(history);

        Assert.Equal("ok", response.Text);
        Assert.Equal(1, inner.ResponseCalls);
        Assert.Equal([history[0], .. history.TakeLast(3)], Assert.Single(sent));
        Assert.Equal(41, history.Count);
    }

    [Fact]
    public async Task UseTokenBudget_Streaming_InnerClientReceivesTrimmedHistory()
    {
        var (history, options) = LongHistory();
        var (inner, sent) = RecordingClient();
        using IChatClient client = new ChatClientBuilder(inner).UseTokenBudget(options).Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(history))
        {
            updates.Add(update);
        }

        Assert.Equal("ok", updates.ToChatResponse().Text);
        Assert.Equal(1, inner.StreamingCalls);
        Assert.Equal([history[0], .. history.TakeLast(3)], Assert.Single(sent));
    }

    [Fact]
    public async Task UseTokenBudget_HistoryFits_InnerClientReceivesEverything()
    {
        var (history, _) = LongHistory();
        var (inner, sent) = RecordingClient();
        using IChatClient client = new ChatClientBuilder(inner).UseTokenBudget(new TokenBudgetOptions { ModelId = "gpt-4o" }).Build();

        await client.GetResponseAsync(history);

        Assert.Equal(history, Assert.Single(sent));
    }

    [Fact]
    public void UseTokenBudget_InvalidOptions_ThrowsWhenBuilding()
    {
        var builder = new ChatClientBuilder(new TestChatClient());

        Assert.Throws<ArgumentException>(() => builder.UseTokenBudget(new TokenBudgetOptions { ContextWindow = 10, ReplyBudget = 20 }));
    }
}
