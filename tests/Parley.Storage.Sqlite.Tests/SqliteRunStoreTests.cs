using System.Text.Json.Nodes;
using Parley.Core.Conversations;
using Parley.Core.Runs;

namespace Parley.Storage.Sqlite.Tests;

public sealed class SqliteRunStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-runs-").FullName;

    private SqliteConversationStoreOptions Options => new() { Path = Path.Combine(_dir, "parley.db") };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static RunRecord Run(string id, int minutes, string kind = "intent-model") => new()
    {
        Id = id,
        Kind = kind,
        Created = new DateTimeOffset(2026, 11, 28, 12, minutes, 0, TimeSpan.Zero),
        DataHash = "abc",
        ModelPath = "/models/" + id,
        Parameters = new JsonObject { ["lr"] = 0.01, ["seed"] = 42 },
        History = [new JsonObject { ["epoch"] = 1, ["val_accuracy"] = 0.9 }],
        Metrics = new JsonObject { ["accuracy"] = 0.95 },
    };

    [Fact]
    public async Task Database_Version1_IsUpgradedKeepingConversations()
    {
        var path = Options.Path;
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE conversations (id TEXT NOT NULL PRIMARY KEY, bot TEXT NOT NULL, system_prompt TEXT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
                CREATE TABLE messages (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL, author TEXT NULL, payload TEXT NOT NULL,
                    incomplete INTEGER NOT NULL DEFAULT 0, timestamp TEXT NOT NULL, PRIMARY KEY (conversation_id, seq));
                INSERT INTO conversations VALUES ('s_old', 'shop', NULL, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var runs = new SqliteRunStore(Options);
        await runs.SaveAsync(Run("r", 1));
        using var conversations = new SqliteConversationStore(Options);

        Assert.NotNull(await conversations.GetAsync("s_old"));
        Assert.NotNull(await runs.GetAsync("r"));
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws() =>
        Assert.ThrowsAny<ArgumentException>(() => new SqliteRunStore(new SqliteConversationStoreOptions { Path = "" }));

    [Fact]
    public async Task GetAsync_NewerSchema_IsRefused()
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Options.Path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE runs (id TEXT); PRAGMA user_version = 9;";
            command.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var store = new SqliteRunStore(Options);
        await Assert.ThrowsAsync<ConversationStoreException>(() => store.GetAsync("x"));
    }
}
