using Npgsql;
using Parley.Core.Calendar;
using Parley.Core.Conversations;
using Parley.Core.FineTuning;
using Parley.Core.Runs;
using Parley.Storage.Conformance;

namespace Parley.Storage.Postgres.Tests;

/// <summary>The conformance suite's PostgreSQL backend: a database of its own on the test server, created on first use.</summary>
internal sealed class PostgresBackend : StoreBackend
{
    private readonly Lazy<string> _connectionString;

    public PostgresBackend()
    {
        _connectionString = new(() => PostgresTestServer.CreateDatabaseAsync(Name).GetAwaiter().GetResult());
    }

    public string Name { get; } = PostgresTestServer.NewDatabaseName();

    public string ConnectionString => _connectionString.Value;

    public override string Location => $"database '{Name}'";

    public PostgresStoreOptions Options(TimeProvider? time = null) => new() { ConnectionString = ConnectionString, TimeProvider = time ?? Time };

    public override async Task<long> CountMessagesAsync() => (long)(await ScalarAsync("SELECT COUNT(*) FROM messages;"))!;

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    protected override IConversationStore CreateConversationStore(TimeProvider time) => new PostgresConversationStore(Options(time));

    protected override ICalendarStore CreateCalendarStore() => new PostgresCalendarStore(Options());

    protected override IRunStore CreateRunStore() => new PostgresRunStore(Options());

    protected override IFineTuningStore CreateFineTuningStore(TimeProvider time) => new PostgresFineTuningStore(Options(time));

    protected override async ValueTask DropAsync()
    {
        if (_connectionString.IsValueCreated)
        {
            await PostgresTestServer.DropDatabaseAsync(Name);
        }
    }
}
