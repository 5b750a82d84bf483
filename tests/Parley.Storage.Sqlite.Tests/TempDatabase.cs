using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Parley.Storage.Sqlite;

namespace Parley.Storage.Sqlite.Tests;

/// <summary>A database file in a fresh temporary folder; stores opened through it are disposed and the folder deleted at the end.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly List<SqliteConversationStore> _stores = [];

    public TempDatabase()
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "parley-sqlite-tests", Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Folder, "nested", "parley.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public SqliteConversationStore OpenStore(TimeProvider? timeProvider = null, TimeSpan? busyTimeout = null)
    {
        var store = new SqliteConversationStore(new SqliteConversationStoreOptions
        {
            Path = Path,
            TimeProvider = timeProvider ?? Time,
            BusyTimeout = busyTimeout ?? SqliteConversationStoreOptions.DefaultBusyTimeout,
        });
        _stores.Add(store);
        return store;
    }

    /// <summary>A connection of its own, outside any store's pool, for inspecting or tampering with the file.</summary>
    public SqliteConnection OpenRaw()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
