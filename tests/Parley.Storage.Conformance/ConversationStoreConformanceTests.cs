using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Core.Conversations;

namespace Parley.Storage.Conformance;

/// <summary>
/// What every <see cref="IConversationStore"/> must do, run against each backend by a derived class in its test
/// project. Timestamps are compared at microsecond precision, the finest every backend keeps.
/// </summary>
public abstract class ConversationStoreConformanceTests(StoreBackend backend) : IAsyncLifetime
{
    protected StoreBackend Backend { get; } = backend;

    private DateTimeOffset Now => Backend.Time.GetUtcNow();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    private StoredMessage User(string text) => new(new ChatMessage(ChatRole.User, text), Now);

    private StoredMessage Assistant(string text, bool incomplete = false) => new(new ChatMessage(ChatRole.Assistant, text), Now, incomplete);

    private static string Json(ChatMessage message) =>
        JsonSerializer.Serialize(message, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage)));

    [StoreFact]
    public async Task AppendAsync_TextToolCallAndToolResult_RoundTripExactly()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("weather");
        var user = new ChatMessage(ChatRole.User, "Weather in Paris for 3 days? Ünïcödé ✓ 你好")
        {
            AuthorName = "alice",
            MessageId = "m-1",
            AdditionalProperties = new() { ["channel"] = "cli", ["attempt"] = 2 },
        };
        var call = new ChatMessage(ChatRole.Assistant,
        [
            new TextContent("Let me check."),
            new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?>
            {
                ["city"] = "Paris",
                ["days"] = 3,
                ["units"] = new Dictionary<string, object?> { ["temp"] = "celsius", ["wind"] = null },
            }),
        ]);
        var result = new ChatMessage(ChatRole.Tool,
        [
            new FunctionResultContent("call_1", new Dictionary<string, object?> { ["forecast"] = new[] { "sun", "rain" }, ["high"] = 21.5 }),
        ]);
        var answer = new ChatMessage(ChatRole.Assistant, "Sunny, then rain.") { CreatedAt = Now.AddSeconds(1) };
        StoredMessage[] stored =
        [
            new(user, Now),
            new(call, Now.AddMilliseconds(1.234)),
            new(result, Now.AddMilliseconds(2)),
            new(answer, Now.AddSeconds(1)),
        ];

        await store.AppendAsync(conversation.Id, stored);
        var loaded = await store.GetAsync(conversation.Id);

        Assert.NotNull(loaded);
        Assert.Equal(stored.Length, loaded.Messages.Count);
        for (int i = 0; i < stored.Length; i++)
        {
            Assert.Equal(Json(stored[i].Message), Json(loaded.Messages[i].Message));
            Assert.Equal(stored[i].Timestamp, loaded.Messages[i].Timestamp);
            Assert.False(loaded.Messages[i].Incomplete);
        }

        Assert.Equal("alice", loaded.Messages[0].Message.AuthorName);
        var loadedCall = Assert.IsType<FunctionCallContent>(loaded.Messages[1].Message.Contents[1]);
        Assert.Equal("Paris", ((JsonElement)loadedCall.Arguments!["city"]!).GetString());
        var loadedResult = Assert.IsType<FunctionResultContent>(Assert.Single(loaded.Messages[2].Message.Contents));
        Assert.Equal(21.5, ((JsonElement)loadedResult.Result!).GetProperty("high").GetDouble());
        Assert.Equal(answer.CreatedAt, loaded.Messages[3].Message.CreatedAt);
    }

    [StoreFact]
    public async Task GetAsync_NewStoreOnSameDatabase_SeesHistory()
    {
        var first = Backend.OpenConversationStore();
        var conversation = await first.CreateAsync("helper", "s_resume");
        await first.SetSystemPromptAsync(conversation.Id, "Be brief.");
        await first.AppendAsync(conversation.Id, [User("hello"), Assistant("hi!")]);

        var loaded = await Backend.OpenConversationStore().GetAsync("s_resume");

        Assert.NotNull(loaded);
        Assert.Equal("helper", loaded.Bot);
        Assert.Equal("Be brief.", loaded.SystemPrompt);
        Assert.Equal(conversation.Created, loaded.Created);
        Assert.Equal(["hello", "hi!"], loaded.Messages.Select(m => m.Message.Text));
        Assert.Equal([ChatRole.User, ChatRole.Assistant], loaded.Messages.Select(m => m.Message.Role));
    }

    [StoreFact]
    public async Task AppendAsync_TwoSessionsInterleaved_KeepTheirOwnMessagesInOrder()
    {
        var store = Backend.OpenConversationStore();
        var a = await store.CreateAsync("bot");
        var b = await store.CreateAsync("bot");

        await store.AppendAsync(a.Id, [User("a1")]);
        await store.AppendAsync(b.Id, [User("b1")]);
        await store.AppendAsync(a.Id, [Assistant("a2"), User("a3")]);
        await store.AppendAsync(b.Id, [Assistant("b2")]);
        await store.AppendAsync(a.Id, [Assistant("a4")]);

        Assert.Equal(["a1", "a2", "a3", "a4"], (await store.GetAsync(a.Id))!.Messages.Select(m => m.Message.Text));
        Assert.Equal(["b1", "b2"], (await store.GetAsync(b.Id))!.Messages.Select(m => m.Message.Text));
    }

    [StoreFact]
    public async Task AppendAsync_IncompleteReply_ComesBackMarked()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("bot");

        await store.AppendAsync(conversation.Id, [User("tell me a long story"), Assistant("Once upon a ti", incomplete: true), User("go on")]);

        Assert.Equal([false, true, false], (await store.GetAsync(conversation.Id))!.Messages.Select(m => m.Incomplete));
    }

    [StoreFact]
    public async Task AppendAsync_UpdatesTimestamp_CreatedUnchanged()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("bot");
        var created = Now;
        Backend.Time.Advance(TimeSpan.FromMinutes(5));

        await store.AppendAsync(conversation.Id, [User("hi")]);
        var loaded = await store.GetAsync(conversation.Id);

        Assert.Equal(created, loaded!.Created);
        Assert.Equal(created.AddMinutes(5), loaded.Updated);
    }

    [StoreFact]
    public async Task AppendAsync_MissingConversation_ThrowsNamingItAndTheDatabase()
    {
        var store = Backend.OpenConversationStore();

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync("s_nope", [User("hi")]));

        Assert.Contains("s_nope", ex.Message);
        Assert.Contains(Backend.Location, ex.Message);
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync("s_nope", []));
    }

    [StoreFact]
    public async Task AppendAsync_WithEvents_EventsComeBackAfterTheirMessagesInOrder()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("clinic");
        await store.AppendAsync(conversation.Id, [User("hi"), Assistant("hello")], [new ConversationEvent("route", Now, "greeting")]);
        await store.AppendAsync(conversation.Id, [], [new ConversationEvent("handoff", Now, "staff", new Dictionary<string, string> { ["queue"] = "nurses" })]);
        await store.AppendAsync(conversation.Id, [User("chest pain")], [new ConversationEvent("triage", Now), new ConversationEvent("urgent", Now)]);

        var loaded = (await Backend.OpenConversationStore().GetAsync(conversation.Id))!;

        Assert.Equal(["hi", "hello", "chest pain"], loaded.Messages.Select(m => m.Message.Text));
        Assert.Equal(["route", "handoff", "triage", "urgent"], loaded.Events.Select(e => e.Kind));
        Assert.Equal([2, 2, 3, 3], loaded.Events.Select(e => e.AfterMessages));
        Assert.Equal("nurses", loaded.Events[1].Data!["queue"]);
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync("s_nope", [], [new ConversationEvent("route", Now)]));
    }

    [StoreFact]
    public async Task AppendAsync_MessageCannotBeSerialized_StoresNothing()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("bot");
        await store.AppendAsync(conversation.Id, [User("before")]);
        Backend.Time.Advance(TimeSpan.FromMinutes(1));
        var bad = new ChatMessage(ChatRole.Assistant, "bad") { AdditionalProperties = new() { ["type"] = typeof(string) } };

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(
            () => store.AppendAsync(conversation.Id, [User("first"), new StoredMessage(bad, Now), User("third")]));

        Assert.Contains("message 2", ex.Message);
        var loaded = await store.GetAsync(conversation.Id);
        Assert.Equal(["before"], loaded!.Messages.Select(m => m.Message.Text));
        Assert.Equal(conversation.Created, loaded.Updated);
    }

    [StoreFact]
    public async Task AppendAsync_CancelledInsideTransaction_StoresNothing()
    {
        var clock = new CallbackTimeProvider(Now);
        var store = Backend.OpenConversationStore(clock);
        var conversation = await store.CreateAsync("bot");
        using var cts = new CancellationTokenSource();
        clock.Now = conversation.Created.AddMinutes(1);
        clock.OnRead = cts.Cancel; // read for the 'updated' stamp, after the transaction has begun

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.AppendAsync(conversation.Id, [User("first"), Assistant("second")], cts.Token));

        clock.OnRead = null;
        var loaded = await store.GetAsync(conversation.Id);
        Assert.Empty(loaded!.Messages);
        Assert.Equal(conversation.Created, loaded.Updated);
        Assert.Equal(0L, await Backend.CountMessagesAsync());
    }

    [StoreFact]
    public async Task AppendAsync_AlreadyCancelled_Throws()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("bot");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.AppendAsync(conversation.Id, [User("x")], new CancellationToken(canceled: true)));

        Assert.Empty((await store.GetAsync(conversation.Id))!.Messages);
    }

    [StoreFact]
    public async Task ListAsync_NewestUpdatedFirst_WithCountAndPreview()
    {
        var store = Backend.OpenConversationStore();
        var old = await store.CreateAsync("bot");
        await store.AppendAsync(old.Id, [new StoredMessage(new ChatMessage(ChatRole.System, "sys"), Now), User("  first\n question  "), Assistant("answer")]);
        Backend.Time.Advance(TimeSpan.FromMinutes(1));
        var empty = await store.CreateAsync("bot");
        Backend.Time.Advance(TimeSpan.FromMinutes(1));
        var longer = await store.CreateAsync("bot");
        await store.AppendAsync(longer.Id, [User("This is a rather long question that keeps going well past the sixty character preview limit.")]);
        Backend.Time.Advance(TimeSpan.FromMinutes(1));
        await store.AppendAsync(old.Id, [User("second question")]);

        var list = await store.ListAsync();

        Assert.Equal([old.Id, longer.Id, empty.Id], list.Select(s => s.Id));
        Assert.Equal([4, 1, 0], list.Select(s => s.MessageCount));
        Assert.Equal("first question", list[0].Preview);
        Assert.Equal(60, list[1].Preview!.Length);
        Assert.EndsWith("…", list[1].Preview);
        Assert.Null(list[2].Preview);
        Assert.Equal(old.Created, list[0].Created);
        Assert.Equal(Now, list[0].Updated);
    }

    [StoreFact]
    public async Task ListAsync_BotFilterAndLimit_Apply()
    {
        var store = Backend.OpenConversationStore();
        var a1 = await store.CreateAsync("alpha");
        Backend.Time.Advance(TimeSpan.FromSeconds(1));
        await store.CreateAsync("beta");
        Backend.Time.Advance(TimeSpan.FromSeconds(1));
        var a2 = await store.CreateAsync("alpha");

        Assert.Equal([a2.Id, a1.Id], (await store.ListAsync("alpha")).Select(s => s.Id));
        Assert.Empty(await store.ListAsync("gamma"));
        Assert.Equal(3, (await store.ListAsync()).Count);
        Assert.Equal([a2.Id], (await store.ListAsync(limit: 1)).Select(s => s.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListAsync(limit: 0));
    }

    [StoreFact]
    public async Task ListPageAsync_PagesWithTies_CoverEveryConversationOnce()
    {
        var store = Backend.OpenConversationStore();
        var ids = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            ids.Add((await store.CreateAsync("bot", $"s_{i}")).Id); // same clock: every one ties on updated and created
        }

        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await store.ListPageAsync(null, 3, after);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(s => s.Id));
            after = page[^1].Id;
        }

        Assert.Equal([.. ids.Order(StringComparer.Ordinal)], seen);
        Assert.Empty(await store.ListPageAsync(null, 3, "s_gone"));
    }

    [StoreFact]
    public async Task DeleteAsync_Existing_RemovesConversationAndItsMessages()
    {
        var store = Backend.OpenConversationStore();
        var keep = await store.CreateAsync("bot");
        var gone = await store.CreateAsync("bot");
        await store.AppendAsync(keep.Id, [User("keep")]);
        await store.AppendAsync(gone.Id, [User("gone 1"), Assistant("gone 2")]);

        Assert.True(await store.DeleteAsync(gone.Id));

        Assert.Null(await store.GetAsync(gone.Id));
        Assert.False(await store.DeleteAsync(gone.Id));
        Assert.Equal(1L, await Backend.CountMessagesAsync());
        Assert.Equal([keep.Id], (await store.ListAsync()).Select(s => s.Id));
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync(gone.Id, [User("late")]));
    }

    [StoreFact]
    public async Task SetSystemPromptAsync_SetThenCleared_IsStored()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("bot");

        await store.SetSystemPromptAsync(conversation.Id, "You are a pirate.");
        Assert.Equal("You are a pirate.", (await store.GetAsync(conversation.Id))!.SystemPrompt);
        await store.SetSystemPromptAsync(conversation.Id, null);
        Assert.Null((await store.GetAsync(conversation.Id))!.SystemPrompt);

        await Assert.ThrowsAsync<ConversationStoreException>(() => store.SetSystemPromptAsync("s_missing", "x"));
    }

    [StoreFact]
    public async Task SetTitleAsync_SetThenCleared_IsStoredAndListedWithoutTouchingTheUpdateTime()
    {
        var store = Backend.OpenConversationStore();
        var conversation = await store.CreateAsync("bot");
        Backend.Time.Advance(TimeSpan.FromMinutes(5));

        await store.SetTitleAsync(conversation.Id, "退货 — returns ✓");
        var loaded = await store.GetAsync(conversation.Id);
        var listed = Assert.Single(await store.ListAsync());
        await store.SetTitleAsync(conversation.Id, null);

        Assert.Equal("退货 — returns ✓", loaded!.Title);
        Assert.Equal("退货 — returns ✓", listed.Title);
        Assert.Equal(conversation.Updated, listed.Updated);
        Assert.Null((await store.GetAsync(conversation.Id))!.Title);
        Assert.Null(Assert.Single(await store.ListAsync()).Title);
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.SetTitleAsync("s_missing", "x"));
    }

    [StoreFact]
    public async Task CreateAsync_WithOwner_IsStoredAndListPageFiltersByIt()
    {
        var store = Backend.OpenConversationStore();
        var alice = await store.CreateAsync("bot", owner: "key_alice");
        Backend.Time.Advance(TimeSpan.FromSeconds(1));
        var bob = await store.CreateAsync("bot", owner: "key_bob");
        Backend.Time.Advance(TimeSpan.FromSeconds(1));
        var nobody = await store.CreateAsync("bot");
        Backend.Time.Advance(TimeSpan.FromSeconds(1));
        var alice2 = await store.CreateAsync("other", owner: "key_alice");

        Assert.Equal("key_alice", alice.Owner);
        Assert.Equal("key_alice", (await store.GetAsync(alice.Id))!.Owner);
        Assert.Null((await store.GetAsync(nobody.Id))!.Owner);
        Assert.Equal([alice2.Id, alice.Id], (await store.ListPageAsync(null, 10, null, "key_alice")).Select(s => s.Id));
        Assert.Equal([alice.Id], (await store.ListPageAsync("bot", 10, null, "key_alice")).Select(s => s.Id));
        Assert.Equal([alice.Id], (await store.ListPageAsync(null, 10, alice2.Id, "key_alice")).Select(s => s.Id));
        Assert.Equal([bob.Id], (await store.ListPageAsync(null, 10, null, "key_bob")).Select(s => s.Id));
        Assert.Empty(await store.ListPageAsync(null, 10, null, "key_carol"));
        Assert.Equal(4, (await store.ListPageAsync(null, 10, null, owner: null)).Count);
        Assert.Equal("key_bob", (await store.ListAsync()).Single(s => s.Id == bob.Id).Owner);
    }

    [StoreFact]
    public async Task CreateAsync_DuplicateId_Throws()
    {
        var store = Backend.OpenConversationStore();
        await store.CreateAsync("bot", "s_same");

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.CreateAsync("other", "s_same"));

        Assert.Contains("s_same", ex.Message);
        Assert.Equal("bot", (await store.GetAsync("s_same"))!.Bot);
    }

    [StoreFact]
    public async Task CreateAsync_NoId_GeneratesShortUniqueIds()
    {
        var store = Backend.OpenConversationStore();
        var ids = new HashSet<string>();

        for (int i = 0; i < 20; i++)
        {
            var conversation = await store.CreateAsync("bot");
            Assert.Matches("^s_[a-z2-7]{12}$", conversation.Id);
            Assert.Equal(Now, conversation.Created);
            ids.Add(conversation.Id);
        }

        Assert.Equal(20, ids.Count);
        Assert.Null(await store.GetAsync("s_missing"));
    }

    [StoreFact]
    public async Task AppendAsync_ConcurrentFromManyTasksAndTwoStores_AllLandInEachWritersOrder()
    {
        var first = Backend.OpenConversationStore();
        var second = Backend.OpenConversationStore();
        var shared = await first.CreateAsync("bot");
        const int Tasks = 8;
        const int PerTask = 15;

        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            var store = t % 2 == 0 ? first : second;
            for (int i = 0; i < PerTask; i++)
            {
                await store.AppendAsync(shared.Id, [User($"{t}:{i}"), Assistant($"{t}:{i}'")]);
            }
        })));

        var texts = (await second.GetAsync(shared.Id))!.Messages.Select(m => m.Message.Text).ToList();
        Assert.Equal(Tasks * PerTask * 2, texts.Count);
        for (int k = 0; k < texts.Count; k += 2)
        {
            Assert.Equal(texts[k] + "'", texts[k + 1]); // an append's messages stay together
        }

        for (int t = 0; t < Tasks; t++)
        {
            Assert.Equal(Enumerable.Range(0, PerTask).Select(i => $"{t}:{i}"), texts.Where(x => x.StartsWith($"{t}:", StringComparison.Ordinal) && !x.EndsWith('\'')));
        }
    }
}
