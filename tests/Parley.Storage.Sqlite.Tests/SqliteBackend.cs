using Microsoft.Data.Sqlite;
using Parley.Core.Calendar;
using Parley.Core.Conversations;
using Parley.Core.FineTuning;
using Parley.Core.Runs;
using Parley.Storage.Conformance;

namespace Parley.Storage.Sqlite.Tests;

/// <summary>The conformance suite's SQLite backend: a database file in a fresh temporary folder.</summary>
internal sealed class SqliteBackend : StoreBackend
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-conformance-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "parley.db");

    public override string Location => Path;

    public override async Task<long> CountMessagesAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM messages;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override IConversationStore CreateConversationStore(TimeProvider time) =>
        new SqliteConversationStore(new SqliteConversationStoreOptions { Path = Path, TimeProvider = time });

    protected override ICalendarStore CreateCalendarStore() => new SqliteCalendarStore(new SqliteConversationStoreOptions { Path = Path });

    protected override IRunStore CreateRunStore() => new SqliteRunStore(new SqliteConversationStoreOptions { Path = Path });

    protected override IFineTuningStore CreateFineTuningStore(TimeProvider time) =>
        new SqliteFineTuningStore(new SqliteConversationStoreOptions { Path = Path, TimeProvider = time });

    protected override ValueTask DropAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
