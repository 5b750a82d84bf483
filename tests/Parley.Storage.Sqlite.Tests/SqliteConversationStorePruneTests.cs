using Microsoft.Extensions.AI;
using Parley.Core.Conversations;

namespace Parley.Storage.Sqlite.Tests;

public sealed class SqliteConversationStorePruneTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task DeleteOlderThanAsync_MixedAges_DeletesOnlyOlderSessionsAndTheirMessages()
    {
        var store = _db.OpenStore();
        var start = _db.Time.GetUtcNow();
        var old = await store.CreateAsync("shop", "old");
        await store.AppendAsync(old.Id, [new StoredMessage(new ChatMessage(ChatRole.User, "hi"), start)]);
        var otherOld = await store.CreateAsync("other", "other-old");
        _db.Time.SetUtcNow(start.AddDays(40));
        var recent = await store.CreateAsync("shop", "recent");

        var deleted = await store.DeleteOlderThanAsync(start.AddDays(10), bot: "shop");

        Assert.Equal(1, deleted);
        Assert.Null(await store.GetAsync(old.Id));
        Assert.NotNull(await store.GetAsync(recent.Id));
        Assert.NotNull(await store.GetAsync(otherOld.Id));
    }

    [Fact]
    public async Task DeleteOlderThanAsync_NoBot_DeletesEveryBotsOldSessions()
    {
        var store = _db.OpenStore();
        var start = _db.Time.GetUtcNow();
        await store.CreateAsync("shop", "a");
        await store.CreateAsync("other", "b");
        _db.Time.SetUtcNow(start.AddHours(2));
        await store.CreateAsync("shop", "c");

        var deleted = await store.DeleteOlderThanAsync(start.AddHours(1));

        Assert.Equal(2, deleted);
        Assert.Equal(["c"], (await store.ListAsync()).Select(s => s.Id));
    }
}
