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
