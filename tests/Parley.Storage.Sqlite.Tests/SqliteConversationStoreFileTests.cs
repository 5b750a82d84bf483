using Microsoft.Extensions.AI;
using Parley.Core.Conversations;

namespace Parley.Storage.Sqlite.Tests;

public sealed class SqliteConversationStoreFileTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task FirstUse_CreatesFolderSchemaAndWal()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(_db.Path)));
        var store = _db.OpenStore();

        await store.ListAsync();

        Assert.True(File.Exists(_db.Path));
        Assert.Equal(_db.Path, store.DatabasePath);
        Assert.Equal((long)SqliteSchema.CurrentVersion, _db.Scalar("PRAGMA user_version;"));
        Assert.Equal("wal", _db.Scalar("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task FirstUse_NewerSchemaVersion_RefusedNamingFile()
    {
        _db.Scalar("CREATE TABLE conversations (id TEXT); PRAGMA user_version = 7;");
        var store = _db.OpenStore();

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.CreateAsync("bot"));

        Assert.Contains(_db.Path, ex.Message);
        Assert.Contains("schema version 7", ex.Message);
        Assert.Contains("upgrade Parley", ex.Message);
        Assert.Equal(7L, _db.Scalar("PRAGMA user_version;"));
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.ListAsync());
    }

    [Fact]
    public async Task FirstUse_DatabaseOfAnotherApplication_Refused()
    {
        _db.Scalar("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);");
        var store = _db.OpenStore();

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.ListAsync());

        Assert.Contains(_db.Path, ex.Message);
        Assert.Contains("invoices", ex.Message);
        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'messages';"));
    }

    [Fact]
    public async Task FirstUse_CorruptFile_ThrowsWithPathAndAdvice()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.Path)!);
        await File.WriteAllTextAsync(_db.Path, string.Concat(Enumerable.Repeat("this is not a SQLite database, just text. ", 200)));
        var store = _db.OpenStore();

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.ListAsync());

        Assert.Contains(_db.Path, ex.Message);
        Assert.Contains("corrupt", ex.Message);
        Assert.Contains("Move the file aside", ex.Message);
    }

    [Fact]
    public async Task GetAsync_StoredMessageUnreadable_ThrowsNamingConversation()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("bot");
        await store.AppendAsync(conversation.Id, [new StoredMessage(new ChatMessage(ChatRole.User, "hi"), DateTimeOffset.UnixEpoch)]);
        _db.Scalar("UPDATE messages SET payload = '{not json';");

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.GetAsync(conversation.Id));

        Assert.Contains(conversation.Id, ex.Message);
        Assert.Contains(_db.Path, ex.Message);
        var summary = Assert.Single(await store.ListAsync());
        Assert.Null(summary.Preview);
    }

    [Fact]
    public async Task AppendAsync_OtherConnectionHoldsWriteLockBriefly_Waits()
    {
        var store = _db.OpenStore();
        var conversation = await store.CreateAsync("bot");
        using var other = _db.OpenRaw();
        using var transaction = other.BeginTransaction(deferred: false);

        // Microsoft.Data.Sqlite waits for locks synchronously, so the append runs on a pool thread of its own.
        var append = Task.Run(() => store.AppendAsync(conversation.Id, [new StoredMessage(new ChatMessage(ChatRole.User, "hi"), DateTimeOffset.UnixEpoch)]));
        await Task.Delay(200);
        Assert.False(append.IsCompleted);
        transaction.Commit();
        await append.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single((await store.GetAsync(conversation.Id))!.Messages);
    }

    [Fact]
    public async Task AppendAsync_WriteLockHeldPastBusyTimeout_ThrowsLocked()
    {
        var store = _db.OpenStore(busyTimeout: TimeSpan.FromMilliseconds(100));
        var conversation = await store.CreateAsync("bot");
        using var other = _db.OpenRaw();
        using var transaction = other.BeginTransaction(deferred: false);

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(
            () => store.AppendAsync(conversation.Id, [new StoredMessage(new ChatMessage(ChatRole.User, "hi"), DateTimeOffset.UnixEpoch)]));

        Assert.Contains("locked", ex.Message);
        Assert.Contains(_db.Path, ex.Message);
    }
}
