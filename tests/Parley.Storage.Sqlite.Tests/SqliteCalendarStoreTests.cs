using Microsoft.Data.Sqlite;
using Parley.Core.Conversations;
using Parley.Storage.Sqlite;

namespace Parley.Storage.Sqlite.Tests;

public sealed class SqliteCalendarStoreTests : IDisposable
{
    private static readonly DateTimeOffset Nine = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();
    private readonly SqliteCalendarStore _store;

    public SqliteCalendarStoreTests()
    {
        _store = new SqliteCalendarStore(new SqliteConversationStoreOptions { Path = _db.Path });
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        _db.Dispose();
    }

    [Fact]
    public async Task Schema_Version2Database_IsUpgradedKeepingItsData()
    {
        using (var connection = _db.OpenRaw())
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE conversations (id TEXT NOT NULL PRIMARY KEY, bot TEXT NOT NULL, system_prompt TEXT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
                CREATE TABLE messages (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL, author TEXT NULL, payload TEXT NOT NULL,
                    incomplete INTEGER NOT NULL DEFAULT 0, timestamp TEXT NOT NULL, PRIMARY KEY (conversation_id, seq));
                CREATE TABLE runs (id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, created TEXT NOT NULL, data_hash TEXT NULL, model_path TEXT NULL,
                    parameters TEXT NOT NULL, history TEXT NOT NULL, metrics TEXT NOT NULL);
                INSERT INTO conversations VALUES ('s_old', 'assistant', NULL, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                PRAGMA user_version = 2;
                """;
            command.ExecuteNonQuery();
        }

        var added = await _store.AddAsync("s_old", "Call", Nine, Nine.AddHours(1), "UTC");

        Assert.Equal("1", added.Id);
        Assert.Equal((long)SqliteSchema.CurrentVersion, _db.Scalar("PRAGMA user_version;"));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM conversations;"));
    }

    [Fact]
    public async Task DowngradeAsync_ToVersion2_DropsTheCalendarAndAnUpgradeRestoresIt()
    {
        await _store.AddAsync("s1", "Call", Nine, Nine.AddHours(1), "UTC");
        using (var connection = _db.OpenRaw())
        {
            await SqliteSchema.DowngradeAsync(connection, 2, CancellationToken.None);
        }

        Assert.Equal(2L, _db.Scalar("PRAGMA user_version;"));
        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'calendar_events';"));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'runs';"));

        SqliteConnection.ClearAllPools();
        using var reopened = new SqliteCalendarStore(new SqliteConversationStoreOptions { Path = _db.Path });
        Assert.Empty(await reopened.ListAsync("s1", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Equal((long)SqliteSchema.CurrentVersion, _db.Scalar("PRAGMA user_version;"));
    }

    [Fact]
    public async Task DowngradeAsync_ToVersion1_LeavesTheConversationTables()
    {
        using var conversations = _db.OpenStore();
        await conversations.CreateAsync("shop", "s_keep");
        using (var connection = _db.OpenRaw())
        {
            await SqliteSchema.DowngradeAsync(connection, 1, CancellationToken.None);
        }

        Assert.Equal(1L, _db.Scalar("PRAGMA user_version;"));
        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('runs', 'calendar_events');"));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM conversations;"));
    }

    [Fact]
    public async Task AddAsync_ForeignDatabase_IsRefused()
    {
        _db.Scalar("CREATE TABLE invoices (id TEXT);");
        await Assert.ThrowsAsync<ConversationStoreException>(() => _store.AddAsync("s1", "x", Nine, Nine.AddHours(1), "UTC"));
    }
}
