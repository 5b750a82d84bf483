using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Parley.Core.Conversations;
using Parley.Testing;

namespace Parley.Storage.Sqlite.Tests;

/// <summary>
/// Conversation events in SQLite beyond the shared conformance suite (which runs the round trip, unknown conversation,
/// cancellation and delete cases on every backend): pruning, schema upgrade and downgrade, and events through a chat session.
/// </summary>
public sealed class SqliteConversationEventsTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private DateTimeOffset Now => _db.Time.GetUtcNow();

    private StoredMessage Message(ChatRole role, string text) => new(new ChatMessage(role, text), Now);

    [Fact]
    public async Task DeleteOlderThanAsync_OldConversationWithEvents_RemovesTheEvents()
    {
        var store = _db.OpenStore();
        var old = await store.CreateAsync("clinic");
        await store.AppendAsync(old.Id, [Message(ChatRole.User, "hi")], [new ConversationEvent("handoff", Now)]);
        _db.Time.Advance(TimeSpan.FromDays(40));
        var recent = await store.CreateAsync("clinic");
        await store.AppendAsync(recent.Id, [Message(ChatRole.User, "hi")], [new ConversationEvent("rule", Now)]);

        Assert.Equal(1, await store.DeleteOlderThanAsync(Now.AddDays(-30)));

        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM conversation_events;"));
        Assert.Single((await store.GetAsync(recent.Id))!.Events);
    }

    [Fact]
    public async Task GetAsync_VersionThreeDatabase_IsUpgradedAndAnEventCanBeStored()
    {
        using (var connection = _db.OpenRaw())
        using (var command = connection.CreateCommand())
        {
            // The version-3 schema as Parley wrote it before events existed.
            command.CommandText = """
                CREATE TABLE conversations (id TEXT NOT NULL PRIMARY KEY, bot TEXT NOT NULL, system_prompt TEXT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
                CREATE TABLE messages (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL, author TEXT NULL, payload TEXT NOT NULL,
                    incomplete INTEGER NOT NULL DEFAULT 0, timestamp TEXT NOT NULL, PRIMARY KEY (conversation_id, seq));
                CREATE TABLE runs (id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, created TEXT NOT NULL, data_hash TEXT NULL, model_path TEXT NULL,
                    parameters TEXT NOT NULL, history TEXT NOT NULL, metrics TEXT NOT NULL);
                CREATE TABLE calendar_events (calendar TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
                    time_zone TEXT NOT NULL, PRIMARY KEY (calendar, id));
                INSERT INTO conversations VALUES ('s_old', 'clinic', NULL, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                PRAGMA user_version = 3;
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var store = _db.OpenStore();
        var loaded = await store.GetAsync("s_old");
        await store.AppendAsync("s_old", [], [new ConversationEvent("handoff", Now)]);

        Assert.NotNull(loaded);
        Assert.Empty(loaded.Events);
        Assert.Equal((long)SqliteSchema.CurrentVersion, _db.Scalar("PRAGMA user_version;"));
        Assert.Single((await store.GetAsync("s_old"))!.Events);
    }

    [Fact]
    public async Task DowngradeAsync_ToVersion3_DropsTheEventsAndKeepsTheMessages()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("clinic");
        await store.AppendAsync(conversation.Id, [Message(ChatRole.User, "hi")], [new ConversationEvent("handoff", Now)]);
        using (var connection = _db.OpenRaw())
        {
            await SqliteSchema.DowngradeAsync(connection, 3, CancellationToken.None);
        }

        Assert.Equal(3L, _db.Scalar("PRAGMA user_version;"));
        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'conversation_events';"));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM messages;"));
    }

    [Fact]
    public async Task Schema_VersionFiveDatabase_GetsTitleAndOwnerAndADowngradeTakesThemAway()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("clinic");
        await store.AppendAsync(conversation.Id, [Message(ChatRole.User, "hi")], [new ConversationEvent("handoff", Now)]);
        using (var connection = _db.OpenRaw())
        {
            await SqliteSchema.DowngradeAsync(connection, 5, CancellationToken.None);
        }

        var columnsAtFive = _db.Scalar("SELECT group_concat(name) FROM pragma_table_info('conversations');");
        SqliteConnection.ClearAllPools();
        var upgraded = _db.OpenStore();
        var loaded = await upgraded.GetAsync(conversation.Id);
        await upgraded.SetTitleAsync(conversation.Id, "Chest pain");
        var owned = await upgraded.CreateAsync("clinic", owner: "key_alice");

        Assert.Equal("id,bot,system_prompt,created,updated", columnsAtFive);
        Assert.Null(loaded!.Title);
        Assert.Null(loaded.Owner);
        Assert.Single(loaded.Messages);
        Assert.Single(loaded.Events);
        Assert.Equal((long)SqliteSchema.CurrentVersion, _db.Scalar("PRAGMA user_version;"));
        Assert.Equal("Chest pain", (await upgraded.GetAsync(conversation.Id))!.Title);
        Assert.Equal("key_alice", (await upgraded.GetAsync(owned.Id))!.Owner);
    }

    [Fact]
    public async Task SendAsync_ReplyCarryingEvents_StoresThemWithTheReplyAndNotInItsMetadata()
    {
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "I'll pass you to a colleague."));
                response.AdditionalProperties = ConversationEvents.Add(response.AdditionalProperties, new ConversationEvent("handoff", Now, "asked for a person"));
                return Task.FromResult(response);
            },
        };
        var store = _db.OpenStore();
        var session = await ChatSession.OpenAsync(client, store, "clinic");

        var reply = await session.SendAsync("let me talk to a person");

        Assert.Single(ConversationEvents.From(reply.AdditionalProperties));
        var loaded = await store.GetAsync(session.Id);
        var handoff = Assert.Single(loaded!.Events);
        Assert.Equal("handoff", handoff.Kind);
        Assert.Equal(2, handoff.AfterMessages);
        Assert.False(loaded.Messages[1].Message.AdditionalProperties?.ContainsKey(ConversationEvents.PropertyKey) ?? false);
        Assert.Equal(2, Assert.Single(session.Conversation.Events).AfterMessages);
    }

    [Fact]
    public async Task SendStreamingAsync_EventsOnSeveralUpdates_StoresEveryOne()
    {
        var client = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) => Updates(),
        };
        var store = _db.OpenStore();
        var session = await ChatSession.OpenAsync(client, store, "clinic");

        await foreach (var _ in session.SendStreamingAsync("chest pain"))
        {
        }

        var loaded = await store.GetAsync(session.Id);
        Assert.Equal(["rule", "handoff"], loaded!.Events.Select(e => e.Kind));
        Assert.Equal("Call 999 now.", loaded.Messages[1].Message.Text);

        async IAsyncEnumerable<ChatResponseUpdate> Updates()
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "Call 999 ")
            {
                AdditionalProperties = ConversationEvents.Add(null, new ConversationEvent("rule", Now, "emergency")),
            };
            yield return new ChatResponseUpdate(ChatRole.Assistant, "now.")
            {
                AdditionalProperties = ConversationEvents.Add(null, new ConversationEvent("handoff", Now)),
            };
        }
    }

    [Fact]
    public async Task RecordAsync_EventOutsideAReply_IsStoredAfterTheMessagesSoFar()
    {
        var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))) };
        var store = _db.OpenStore();
        var session = await ChatSession.OpenAsync(client, store, "clinic");
        await session.SendAsync("hi");

        await session.RecordAsync(new ConversationEvent("webhook", Now, "posted", new Dictionary<string, string> { ["status"] = "200" }));

        var webhook = Assert.Single((await store.GetAsync(session.Id))!.Events);
        Assert.Equal(2, webhook.AfterMessages);
        Assert.Equal("200", webhook.Data!["status"]);
    }
}
