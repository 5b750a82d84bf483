using Microsoft.Extensions.AI;
using Parley.Core.Conversations;

namespace Parley.Storage.Conformance;

/// <summary>What every <see cref="IConversationStore"/> must do with conversation events, run against each backend.</summary>
public abstract class ConversationEventConformanceTests(StoreBackend backend) : IAsyncLifetime
{
    protected StoreBackend Backend { get; } = backend;

    private DateTimeOffset Now => Backend.Time.GetUtcNow();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    private StoredMessage Message(ChatRole role, string text) => new(new ChatMessage(role, text), Now);

    [StoreFact]
    public async Task AppendAsync_MessagesAndEvents_RoundTripInOrderWithTheirPlace()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("clinic");
        await store.AppendAsync(conversation.Id, [Message(ChatRole.User, "hi"), Message(ChatRole.Assistant, "hello")]);

        await store.AppendAsync(
            conversation.Id,
            [Message(ChatRole.User, "let me talk to a person"), Message(ChatRole.Assistant, "I'll pass you to a colleague.")],
            [
                new ConversationEvent("handoff", Now, "asked for a person", new Dictionary<string, string> { ["reason"] = "request", ["note"] = "ünïcödé \"quoted\"" }),
                new ConversationEvent("webhook", Now.AddSeconds(1)),
            ]);
        await store.AppendAsync(conversation.Id, [], [new ConversationEvent("rule", Now.AddSeconds(2), "emergency")]);

        var loaded = await Backend.OpenConversationStore().GetAsync(conversation.Id);

        Assert.NotNull(loaded);
        Assert.Equal(4, loaded.Messages.Count);
        Assert.Equal(["handoff", "webhook", "rule"], loaded.Events.Select(e => e.Kind));
        Assert.Equal("asked for a person", loaded.Events[0].Detail);
        Assert.Equal(Now, loaded.Events[0].Timestamp);
        Assert.Equal(4, loaded.Events[0].AfterMessages);
        Assert.Equal("ünïcödé \"quoted\"", loaded.Events[0].Data!["note"]);
        Assert.Null(loaded.Events[1].Detail);
        Assert.Null(loaded.Events[1].Data);
        Assert.Equal(4, loaded.Events[2].AfterMessages);
    }

    [StoreFact]
    public async Task AppendAsync_UnknownConversationWithEventsOnly_ThrowsAndStoresNothing()
    {
        var store = Backend.OpenConversationStore();

        await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync("s_missing", [], [new ConversationEvent("handoff", Now)]));
    }

    [StoreFact]
    public async Task AppendAsync_Cancelled_StoresNeitherMessagesNorEvents()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("clinic");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.AppendAsync(conversation.Id, [Message(ChatRole.User, "hi")], [new ConversationEvent("handoff", Now)], cancelled.Token));

        var loaded = await store.GetAsync(conversation.Id);
        Assert.Empty(loaded!.Messages);
        Assert.Empty(loaded.Events);
    }

    [StoreFact]
    public async Task DeleteAsync_ConversationWithEvents_RemovesTheEvents()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("clinic");
        await store.AppendAsync(conversation.Id, [Message(ChatRole.User, "hi")], [new ConversationEvent("handoff", Now)]);

        Assert.True(await store.DeleteAsync(conversation.Id));
        await store.CreateAsync("clinic", conversation.Id);

        Assert.Empty((await store.GetAsync(conversation.Id))!.Events);
    }
}
