using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Parley.Core.Runs;

namespace Parley.Storage.Postgres;

/// <summary>Training runs in PostgreSQL (table <c>runs</c>; parameters, history and metrics as <c>json</c>, which keeps their key order).</summary>
public sealed class PostgresRunStore : IRunStore, IDisposable, IAsyncDisposable
{
    private readonly PostgresDatabase _database;

    /// <summary>Opens the store; the schema is created or migrated on first use.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PostgresRunStore(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = new PostgresDatabase(options);
    }

    /// <inheritdoc />
    public async Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _database.RunAsync($"save run '{run.Id}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, """
                INSERT INTO runs (id, kind, created, data_hash, model_path, parameters, history, metrics)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, created = excluded.created, data_hash = excluded.data_hash,
                    model_path = excluded.model_path, parameters = excluded.parameters, history = excluded.history, metrics = excluded.metrics;
                """);
            command.Parameters.AddWithValue(run.Id);
            command.Parameters.AddWithValue(run.Kind);
            command.Parameters.AddWithValue(PostgresRows.Truncate(run.Created));
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)run.DataHash ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)run.ModelPath ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Json, Value = run.Parameters.ToJsonString() });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Json, Value = run.History.ToJsonString() });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Json, Value = run.Metrics.ToJsonString() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RunRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var runs = await QueryAsync($"load run '{id}'", "WHERE id = $2", command => command.Parameters.AddWithValue(id), 1, cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListAsync(string? kind = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return kind is null
            ? QueryAsync("list runs", "", _ => { }, limit, cancellationToken)
            : QueryAsync("list runs", "WHERE kind = $2", command => command.Parameters.AddWithValue(kind), limit, cancellationToken);
    }

    /// <summary>Closes the store's pooled connections.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Closes the store's pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private Task<IReadOnlyList<RunRecord>> QueryAsync(string action, string where, Action<NpgsqlCommand> bind, int limit, CancellationToken cancellationToken) =>
        _database.RunAsync(action, async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction,
                $"SELECT id, kind, created, data_hash, model_path, parameters::text, history::text, metrics::text FROM runs {where} ORDER BY created DESC, id COLLATE \"C\" LIMIT $1;");
            command.Parameters.AddWithValue(limit);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var runs = new List<RunRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(new RunRecord
                {
                    Id = reader.GetString(0),
                    Kind = reader.GetString(1),
                    Created = PostgresRows.Timestamp(reader, 2),
                    DataHash = PostgresRows.NullableString(reader, 3),
                    ModelPath = PostgresRows.NullableString(reader, 4),
                    Parameters = JsonNode.Parse(reader.GetString(5))?.AsObject() ?? [],
                    History = JsonNode.Parse(reader.GetString(6))?.AsArray() ?? [],
                    Metrics = JsonNode.Parse(reader.GetString(7))?.AsObject() ?? [],
                });
            }

            return (IReadOnlyList<RunRecord>)runs;
        }, cancellationToken);
}
