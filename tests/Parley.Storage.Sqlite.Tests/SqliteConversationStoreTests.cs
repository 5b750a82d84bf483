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
    public async Task AppendAsync_MissingConversation_ThrowsNamingIt()
    {
        var store = _db.OpenStore();

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync("s_nope", [User("hi")]));

        Assert.Contains("s_nope", ex.Message);
        Assert.Contains(_db.Path, ex.Message);
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.AppendAsync("s_nope", []));
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
    public async Task Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var store = _db.OpenStore();
        await store.CreateAsync("bot");

        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListAsync());
    }
}
