using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Parley.Core.Runs;

namespace Parley.Storage.Sqlite;

/// <summary>Training runs in the same SQLite database as the conversations.</summary>
public sealed class SqliteRunStore : IRunStore, IDisposable
{
    private readonly SqliteDatabase _database;

    /// <summary>Opens the store; the database is created or upgraded on first use.</summary>
    public SqliteRunStore(SqliteConversationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = new SqliteDatabase(Path.GetFullPath(options.Path), options.BusyTimeout);
    }

    /// <inheritdoc />
    public async Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _database.WriteAsync($"save run '{run.Id}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO runs (id, kind, created, data_hash, model_path, parameters, history, metrics)
                VALUES ($id, $kind, $created, $data_hash, $model_path, $parameters, $history, $metrics)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, created = excluded.created, data_hash = excluded.data_hash,
                    model_path = excluded.model_path, parameters = excluded.parameters, history = excluded.history, metrics = excluded.metrics;
                """);
            command.Parameters.AddWithValue("$id", run.Id);
            command.Parameters.AddWithValue("$kind", run.Kind);
            command.Parameters.AddWithValue("$created", SqliteRows.FormatTimestamp(run.Created));
            command.Parameters.AddWithValue("$data_hash", (object?)run.DataHash ?? DBNull.Value);
            command.Parameters.AddWithValue("$model_path", (object?)run.ModelPath ?? DBNull.Value);
            command.Parameters.AddWithValue("$parameters", run.Parameters.ToJsonString());
            command.Parameters.AddWithValue("$history", run.History.ToJsonString());
            command.Parameters.AddWithValue("$metrics", run.Metrics.ToJsonString());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RunRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var runs = await QueryAsync($"load run '{id}'", "WHERE id = $id", command => command.Parameters.AddWithValue("$id", id), 1, cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListAsync(string? kind = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return kind is null
            ? QueryAsync("list runs", "", _ => { }, limit, cancellationToken)
            : QueryAsync("list runs", "WHERE kind = $kind", command => command.Parameters.AddWithValue("$kind", kind), limit, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private Task<IReadOnlyList<RunRecord>> QueryAsync(string action, string where, Action<SqliteCommand> bind, int limit, CancellationToken cancellationToken) =>
        _database.ReadAsync(action, async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                $"SELECT id, kind, created, data_hash, model_path, parameters, history, metrics FROM runs {where} ORDER BY created DESC, id LIMIT $limit;");
            bind(command);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var runs = new List<RunRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(new RunRecord
                {
                    Id = reader.GetString(0),
                    Kind = reader.GetString(1),
                    Created = SqliteRows.ParseTimestamp(reader.GetString(2)),
                    DataHash = reader.IsDBNull(3) ? null : reader.GetString(3),
                    ModelPath = reader.IsDBNull(4) ? null : reader.GetString(4),
                    Parameters = JsonNode.Parse(reader.GetString(5))?.AsObject() ?? [],
                    History = JsonNode.Parse(reader.GetString(6))?.AsArray() ?? [],
                    Metrics = JsonNode.Parse(reader.GetString(7))?.AsObject() ?? [],
                });
            }

            return (IReadOnlyList<RunRecord>)runs;
        }, cancellationToken);
}
