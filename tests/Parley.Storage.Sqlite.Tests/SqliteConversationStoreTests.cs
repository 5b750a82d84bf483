using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Core.Conversations;

namespace Parley.Storage.Sqlite.Tests;

public sealed class SqliteConversationStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private DateTimeOffset Now => _db.Time.GetUtcNow();

    private StoredMessage User(string text) => new(new ChatMessage(ChatRole.User, text), Now);

    private StoredMessage Assistant(string text, bool incomplete = false) => new(new ChatMessage(ChatRole.Assistant, text), Now, incomplete);

    private static string Json(ChatMessage message) =>
        JsonSerializer.Serialize(message, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage)));

    [Fact]
    public async Task AppendAsync_TextToolCallAndToolResult_RoundTripExactly()
    {
        var store = _db.OpenStore();
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
        var textResult = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_2", "plain text result")]);
        var answer = new ChatMessage(ChatRole.Assistant, "Sunny, then rain.") { CreatedAt = Now.AddSeconds(1) };
        StoredMessage[] stored =
        [
            new(user, Now),
            new(call, Now.AddMilliseconds(1.2345)),
            new(result, Now.AddMilliseconds(2)),
            new(textResult, Now.AddMilliseconds(3)),
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

        var loadedUser = loaded.Messages[0].Message;
        Assert.Equal(ChatRole.User, loadedUser.Role);
        Assert.Equal("alice", loadedUser.AuthorName);
        Assert.Equal("m-1", loadedUser.MessageId);
        Assert.Equal("cli", ((JsonElement)loadedUser.AdditionalProperties!["channel"]!).GetString());
        Assert.Equal(2, ((JsonElement)loadedUser.AdditionalProperties["attempt"]!).GetInt32());

        var loadedCall = Assert.IsType<FunctionCallContent>(loaded.Messages[1].Message.Contents[1]);
        Assert.Equal("Let me check.", loaded.Messages[1].Message.Text);
        Assert.Equal("call_1", loadedCall.CallId);
        Assert.Equal("get_weather", loadedCall.Name);
        Assert.Equal("Paris", ((JsonElement)loadedCall.Arguments!["city"]!).GetString());
        Assert.Equal(3, ((JsonElement)loadedCall.Arguments["days"]!).GetInt32());
        Assert.Equal("celsius", ((JsonElement)loadedCall.Arguments["units"]!).GetProperty("temp").GetString());

        var loadedResult = Assert.IsType<FunctionResultContent>(Assert.Single(loaded.Messages[2].Message.Contents));
        Assert.Equal(ChatRole.Tool, loaded.Messages[2].Message.Role);
        Assert.Equal("call_1", loadedResult.CallId);
        Assert.Equal(21.5, ((JsonElement)loadedResult.Result!).GetProperty("high").GetDouble());
        Assert.Equal("rain", ((JsonElement)loadedResult.Result).GetProperty("forecast")[1].GetString());
        var loadedTextResult = Assert.IsType<FunctionResultContent>(Assert.Single(loaded.Messages[3].Message.Contents));
        Assert.Equal("plain text result", ((JsonElement)loadedTextResult.Result!).GetString());

        Assert.Equal(answer.CreatedAt, loaded.Messages[4].Message.CreatedAt);
    }

    [Fact]
    public async Task GetAsync_NewStoreOnSameFile_SeesHistory()
    {
        string id;
        {
            var first = _db.OpenStore();
            var conversation = await first.CreateAsync("helper", "s_resume");
            await first.SetSystemPromptAsync(conversation.Id, "Be brief.");
            await first.AppendAsync(conversation.Id, [User("hello"), Assistant("hi!")]);
            id = conversation.Id;
            first.Dispose();
        }

        var second = _db.OpenStore();
        var loaded = await second.GetAsync(id);

        Assert.NotNull(loaded);
        Assert.Equal("helper", loaded.Bot);
        Assert.Equal("Be brief.", loaded.SystemPrompt);
        Assert.Equal(["hello", "hi!"], loaded.Messages.Select(m => m.Message.Text));
        Assert.Equal([ChatRole.User, ChatRole.Assistant], loaded.Messages.Select(m => m.Message.Role));
    }

    [Fact]
    public async Task AppendAsync_TwoSessionsInterleaved_KeepTheirOwnMessagesInOrder()
    {
        var store = _db.OpenStore();
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

    [Fact]
    public async Task AppendAsync_IncompleteReply_ComesBackMarked()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("bot");

        await store.AppendAsync(conversation.Id, [User("tell me a long story"), Assistant("Once upon a ti", incomplete: true), User("go on")]);
        var loaded = await store.GetAsync(conversation.Id);

        Assert.Equal([false, true, false], loaded!.Messages.Select(m => m.Incomplete));
        Assert.Equal("Once upon a ti", loaded.Messages[1].Message.Text);
    }

    [Fact]
    public async Task AppendAsync_UpdatesTimestamp_CreatedUnchanged()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("bot");
        var created = Now;
        _db.Time.Advance(TimeSpan.FromMinutes(5));

        await store.AppendAsync(conversation.Id, [User("hi")]);
        var loaded = await store.GetAsync(conversation.Id);

        Assert.Equal(created, loaded!.Created);
        Assert.Equal(created.AddMinutes(5), loaded.Updated);
    }

    [Fact]
    public async Task AppendAsync_MissingConversation_ThrowsNamingIt()
    {
        var store = _db.OpenStore();

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync("s_nope", [User("hi")]));

        Assert.Contains("s_nope", ex.Message);
        Assert.Contains(_db.Path, ex.Message);
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync("s_nope", []));
    }

    [Fact]
    public async Task AppendAsync_MessageCannotBeSerialized_StoresNothing()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("bot");
        await store.AppendAsync(conversation.Id, [User("before")]);
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        var bad = new ChatMessage(ChatRole.Assistant, "bad") { AdditionalProperties = new() { ["type"] = typeof(string) } };

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(
            () => store.AppendAsync(conversation.Id, [User("first"), new StoredMessage(bad, Now), User("third")]));

        Assert.Contains("message 2", ex.Message);
        var loaded = await store.GetAsync(conversation.Id);
        Assert.Equal(["before"], loaded!.Messages.Select(m => m.Message.Text));
        Assert.Equal(conversation.Created, loaded.Updated);
    }

    [Fact]
    public async Task AppendAsync_DatabaseFailsOnSecondMessage_StoresNothing()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("bot");
        await store.AppendAsync(conversation.Id, [User("before")]);
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        using (var raw = _db.OpenRaw())
        using (var command = raw.CreateCommand())
        {
            // Simulates a write that fails half-way (disk error, constraint): the second new row is refused.
            command.CommandText = "CREATE TRIGGER fail_second BEFORE INSERT ON messages WHEN NEW.seq = 2 BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;";
            command.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(
            () => store.AppendAsync(conversation.Id, [User("first"), Assistant("second"), User("third")]));

        Assert.Contains("simulated failure", ex.Message);
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM messages;"));
        var loaded = await store.GetAsync(conversation.Id);
        Assert.Equal(["before"], loaded!.Messages.Select(m => m.Message.Text));
        Assert.Equal(conversation.Created, loaded.Updated);
    }

    [Fact]
    public async Task AppendAsync_CancelledInsideTransaction_StoresNothing()
    {
        var clock = new CallbackTimeProvider(_db.Time.GetUtcNow());
        var store = _db.OpenStore(clock);
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
        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM messages;"));
    }

    [Fact]
    public async Task AppendAsync_AlreadyCancelled_Throws()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("bot");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.AppendAsync(conversation.Id, [User("x")], new CancellationToken(canceled: true)));

        Assert.Empty((await store.GetAsync(conversation.Id))!.Messages);
    }

    [Fact]
    public async Task ListAsync_NewestUpdatedFirst_WithCountAndPreview()
    {
        var store = _db.OpenStore();
        var old = await store.CreateAsync("bot");
        await store.AppendAsync(old.Id, [new StoredMessage(new ChatMessage(ChatRole.System, "sys"), Now), User("  first\n question  "), Assistant("answer")]);
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        var empty = await store.CreateAsync("bot");
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        var longer = await store.CreateAsync("bot");
        string longText = "This is a rather long question that keeps going well past the sixty character preview limit.";
        await store.AppendAsync(longer.Id, [User(longText)]);
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await store.AppendAsync(old.Id, [User("second question")]);

        var list = await store.ListAsync();

        Assert.Equal([old.Id, longer.Id, empty.Id], list.Select(s => s.Id));
        Assert.Equal([4, 1, 0], list.Select(s => s.MessageCount));
        Assert.Equal("first question", list[0].Preview);
        Assert.Equal(60, list[1].Preview!.Length);
        Assert.EndsWith("…", list[1].Preview);
        Assert.StartsWith("This is a rather long question", list[1].Preview);
        Assert.Null(list[2].Preview);
        Assert.Equal(old.Created, list[0].Created);
        Assert.Equal(Now, list[0].Updated);
    }

    [Fact]
    public async Task ListAsync_BotFilterAndLimit_Apply()
    {
        var store = _db.OpenStore();
        var a1 = await store.CreateAsync("alpha");
        _db.Time.Advance(TimeSpan.FromSeconds(1));
        await store.CreateAsync("beta");
        _db.Time.Advance(TimeSpan.FromSeconds(1));
        var a2 = await store.CreateAsync("alpha");

        Assert.Equal([a2.Id, a1.Id], (await store.ListAsync("alpha")).Select(s => s.Id));
        Assert.All(await store.ListAsync("beta"), s => Assert.Equal("beta", s.Bot));
        Assert.Empty(await store.ListAsync("gamma"));
        Assert.Equal(3, (await store.ListAsync()).Count);
        Assert.Equal([a2.Id], (await store.ListAsync(limit: 1)).Select(s => s.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListAsync(limit: 0));
    }

    [Fact]
    public async Task DeleteAsync_Existing_RemovesConversationAndItsMessages()
    {
        var store = _db.OpenStore();
        var keep = await store.CreateAsync("bot");
        var gone = await store.CreateAsync("bot");
        await store.AppendAsync(keep.Id, [User("keep")]);
        await store.AppendAsync(gone.Id, [User("gone 1"), Assistant("gone 2")]);

        Assert.True(await store.DeleteAsync(gone.Id));

        Assert.Null(await store.GetAsync(gone.Id));
        Assert.False(await store.DeleteAsync(gone.Id));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM messages;"));
        Assert.Equal([keep.Id], (await store.ListAsync()).Select(s => s.Id));
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync(gone.Id, [User("late")]));
    }

    [Fact]
    public async Task SetSystemPromptAsync_SetThenCleared_IsStored()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("bot");
        Assert.Null((await store.GetAsync(conversation.Id))!.SystemPrompt);

        await store.SetSystemPromptAsync(conversation.Id, "You are a pirate.");
        Assert.Equal("You are a pirate.", (await store.GetAsync(conversation.Id))!.SystemPrompt);

        await store.SetSystemPromptAsync(conversation.Id, null);
        Assert.Null((await store.GetAsync(conversation.Id))!.SystemPrompt);

        await Assert.ThrowsAsync<ConversationStoreException>(() => store.SetSystemPromptAsync("s_missing", "x"));
    }

    [Fact]
    public async Task CreateAsync_DuplicateId_Throws()
    {
        var store = _db.OpenStore();
        await store.CreateAsync("bot", "s_same");

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.CreateAsync("other", "s_same"));

        Assert.Contains("s_same", ex.Message);
        Assert.Equal("bot", (await store.GetAsync("s_same"))!.Bot);
    }

    [Fact]
    public async Task CreateAsync_NoId_GeneratesShortUniqueIds()
    {
        var store = _db.OpenStore();
        var ids = new HashSet<string>();

        for (int i = 0; i < 50; i++)
        {
            var conversation = await store.CreateAsync("bot");
            Assert.Matches("^s_[a-z2-7]{12}$", conversation.Id);
            Assert.Equal(Now, conversation.Created);
            Assert.Empty(conversation.Messages);
            ids.Add(conversation.Id);
        }

        Assert.Equal(50, ids.Count);
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        var store = _db.OpenStore();

        Assert.Null(await store.GetAsync("s_missing"));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentFromManyTasksAndTwoStores_AllLand()
    {
        var first = _db.OpenStore();
        var second = _db.OpenStore();
        var shared = await first.CreateAsync("bot");
        const int Tasks = 8;
        const int PerTask = 15;

        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            var store = t % 2 == 0 ? first : second;
            for (int i = 0; i < PerTask; i++)
            {
                await store.AppendAsync(shared.Id, [User($"{t}:{i}")]);
            }
        })));

        var texts = (await second.GetAsync(shared.Id))!.Messages.Select(m => m.Message.Text).ToList();
        Assert.Equal(Tasks * PerTask, texts.Count);
        for (int t = 0; t < Tasks; t++)
        {
            Assert.Equal(Enumerable.Range(0, PerTask).Select(i => $"{t}:{i}"), texts.Where(x => x.StartsWith($"{t}:", StringComparison.Ordinal)));
        }

        Assert.Equal((long)(Tasks * PerTask), _db.Scalar("SELECT COUNT(DISTINCT seq) FROM messages;"));
    }

    [Fact]
    public async Task Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var store = _db.OpenStore();
        await store.CreateAsync("bot");

        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListAsync());
    }
}
