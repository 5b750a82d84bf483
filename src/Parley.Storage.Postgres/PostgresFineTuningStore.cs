using Npgsql;
using NpgsqlTypes;
using Parley.Core.FineTuning;

namespace Parley.Storage.Postgres;

/// <summary>
/// The fine-tuning API's records and job queue in PostgreSQL, shared by every server on the database. A claim takes
/// the oldest free job with <c>FOR UPDATE SKIP LOCKED</c>, so servers claiming at once get different jobs without
/// waiting on each other; a job changes under its row lock, so a cancel on one server and progress on another never
/// overwrite each other.
/// </summary>
public sealed class PostgresFineTuningStore : IFineTuningStore, IDisposable, IAsyncDisposable
{
    private const string JobColumns = "id, owner, status, created_at, data, seq, lease_holder, lease_expires, attempts";

    private static readonly string Active = string.Join(", ", FineTuningJobRecord.ActiveStatuses.Select(s => $"'{s}'"));

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _clock;

    /// <summary>Opens the store; the schema is created or migrated on first use.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PostgresFineTuningStore(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = new PostgresDatabase(options);
        _clock = options.TimeProvider;
    }

    /// <inheritdoc />
    public async Task AddFileAsync(FineTuningFileRecord file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        await _database.RunAsync($"record fine-tuning file '{file.Id}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction,
                "INSERT INTO fine_tuning_files (id, owner, created_at, data) VALUES ($1, $2, $3, $4);");
            command.Parameters.AddWithValue(file.Id);
            command.Parameters.Add(Text(file.Owner));
            command.Parameters.AddWithValue(file.CreatedAt);
            command.Parameters.AddWithValue(file.Data);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<FineTuningFileRecord?> GetFileAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var files = await QueryFilesAsync($"load fine-tuning file '{id}'", "WHERE id = $1", id, cancellationToken).ConfigureAwait(false);
        return files.Count == 0 ? null : files[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FineTuningFileRecord>> ListFilesAsync(string? owner, CancellationToken cancellationToken = default) => owner is null
        ? QueryFilesAsync("list fine-tuning files", "", null, cancellationToken)
        : QueryFilesAsync("list fine-tuning files", "WHERE owner = $1", owner, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteFileAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.RunAsync($"delete fine-tuning file '{id}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, "DELETE FROM fine_tuning_files WHERE id = $1;");
            command.Parameters.AddWithValue(id);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FineTuningJobRecord> CreateJobAsync(FineTuningJobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _database.RunAsync($"record fine-tuning job '{job.Id}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, """
                INSERT INTO fine_tuning_jobs (id, owner, status, created_at, data, attempts) VALUES ($1, $2, $3, $4, $5, $6)
                RETURNING seq;
                """);
            command.Parameters.AddWithValue(job.Id);
            command.Parameters.Add(Text(job.Owner));
            command.Parameters.AddWithValue(job.Status);
            command.Parameters.AddWithValue(job.CreatedAt);
            command.Parameters.AddWithValue(job.Data);
            command.Parameters.AddWithValue(job.Attempts);
            var sequence = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return job with { Sequence = sequence, LeaseHolder = null, LeaseExpires = null };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<FineTuningJobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await _database.RunAsync($"load fine-tuning job '{id}'", (connection, transaction) => ReadJobAsync(connection, transaction, id, lockRow: false, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FineTuningJobRecord>> ListJobsAsync(string? owner, CancellationToken cancellationToken = default) =>
        _database.RunAsync("list fine-tuning jobs", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction,
                $"SELECT {JobColumns} FROM fine_tuning_jobs {(owner is null ? "" : "WHERE owner = $1")} ORDER BY seq DESC;");
            if (owner is not null)
            {
                command.Parameters.AddWithValue(owner);
            }

            return (IReadOnlyList<FineTuningJobRecord>)await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<(FineTuningJobRecord? Job, bool Changed)> UpdateJobAsync(string id, Func<FineTuningJobRecord, FineTuningJobRecord?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(change);
        return _database.RunAsync<(FineTuningJobRecord?, bool)>($"update fine-tuning job '{id}'", async (connection, transaction) =>
        {
            if (await ReadJobAsync(connection, transaction, id, lockRow: true, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return (null, false);
            }

            if (change(stored) is not { } updated)
            {
                return (stored, false);
            }

            var ended = !FineTuningJobRecord.IsActive(updated.Status);
            await using var command = PostgresDatabase.Command(connection, transaction, $"""
                UPDATE fine_tuning_jobs SET status = $2, data = $3
                    {(ended ? ", lease_holder = NULL, lease_expires = NULL" : "")}
                WHERE id = $1;
                """);
            command.Parameters.AddWithValue(id);
            command.Parameters.AddWithValue(updated.Status);
            command.Parameters.AddWithValue(updated.Data);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return (stored with
            {
                Status = updated.Status,
                Data = updated.Data,
                LeaseHolder = ended ? null : stored.LeaseHolder,
                LeaseExpires = ended ? null : stored.LeaseExpires,
            }, true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task AddEventAsync(FineTuningJobItem item, CancellationToken cancellationToken = default) => AddItemAsync("fine_tuning_events", "event", item, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<FineTuningJobItem>> ListEventsAsync(string jobId, CancellationToken cancellationToken = default) => ListItemsAsync("fine_tuning_events", "events", jobId, cancellationToken);

    /// <inheritdoc />
    public Task AddCheckpointAsync(FineTuningJobItem item, CancellationToken cancellationToken = default) => AddItemAsync("fine_tuning_checkpoints", "checkpoint", item, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<FineTuningJobItem>> ListCheckpointsAsync(string jobId, CancellationToken cancellationToken = default) => ListItemsAsync("fine_tuning_checkpoints", "checkpoints", jobId, cancellationToken);

    /// <inheritdoc />
    public Task ClearCheckpointsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return _database.RunAsync($"clear the checkpoints of fine-tuning job '{jobId}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, "DELETE FROM fine_tuning_checkpoints WHERE job_id = $1;");
            command.Parameters.AddWithValue(jobId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FineTuningClaim?> ClaimNextJobAsync(string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var now = PostgresRows.Truncate(_clock.GetUtcNow());
        var expires = PostgresRows.Truncate(now + lease);
        return _database.RunAsync("claim a fine-tuning job", async (connection, transaction) =>
        {
            // The old lease is read in the locking subquery: RETURNING sees the row after the update.
            await using var command = PostgresDatabase.Command(connection, transaction, $"""
                UPDATE fine_tuning_jobs j SET lease_holder = $1, lease_expires = $2, attempts = j.attempts + 1
                FROM (
                    SELECT id, lease_holder AS previous_holder, lease_expires AS previous_expires FROM fine_tuning_jobs
                    WHERE status IN ({Active}) AND (lease_holder IS NULL OR lease_expires <= $3)
                    ORDER BY seq LIMIT 1
                    FOR UPDATE SKIP LOCKED
                ) free
                WHERE j.id = free.id
                RETURNING {string.Join(", ", JobColumns.Split(", ").Select(c => "j." + c))}, free.previous_holder, free.previous_expires;
                """);
            command.Parameters.AddWithValue(worker);
            command.Parameters.AddWithValue(expires);
            command.Parameters.AddWithValue(now);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new FineTuningClaim(ReadJob(reader), PostgresRows.NullableString(reader, 9), reader.IsDBNull(10) ? null : PostgresRows.Timestamp(reader, 10));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewLeaseAsync(string jobId, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var expires = PostgresRows.Truncate(_clock.GetUtcNow() + lease);
        return _database.RunAsync($"renew the lease on fine-tuning job '{jobId}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction,
                $"UPDATE fine_tuning_jobs SET lease_expires = $1 WHERE id = $2 AND lease_holder = $3 AND status IN ({Active});");
            command.Parameters.AddWithValue(expires);
            command.Parameters.AddWithValue(jobId);
            command.Parameters.AddWithValue(worker);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string jobId, string worker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentException.ThrowIfNullOrEmpty(worker);
        return _database.RunAsync($"release the lease on fine-tuning job '{jobId}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction,
                $"""
                UPDATE fine_tuning_jobs SET lease_holder = NULL, lease_expires = NULL,
                    attempts = CASE WHEN status IN ({Active}) AND attempts > 0 THEN attempts - 1 ELSE attempts END
                WHERE id = $1 AND lease_holder = $2;
                """);
            command.Parameters.AddWithValue(jobId);
            command.Parameters.AddWithValue(worker);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Closes the store's pooled connections.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Closes the store's pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private Task<IReadOnlyList<FineTuningFileRecord>> QueryFilesAsync(string action, string where, string? argument, CancellationToken cancellationToken) =>
        _database.RunAsync(action, async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction,
                $"SELECT id, owner, created_at, data FROM fine_tuning_files {where} ORDER BY created_at DESC, id COLLATE \"C\";");
            if (argument is not null)
            {
                command.Parameters.AddWithValue(argument);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var files = new List<FineTuningFileRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                files.Add(new FineTuningFileRecord
                {
                    Id = reader.GetString(0),
                    Owner = PostgresRows.NullableString(reader, 1),
                    CreatedAt = reader.GetInt64(2),
                    Data = reader.GetString(3),
                });
            }

            return (IReadOnlyList<FineTuningFileRecord>)files;
        }, cancellationToken);

    private static async Task<FineTuningJobRecord?> ReadJobAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, bool lockRow, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, $"SELECT {JobColumns} FROM fine_tuning_jobs WHERE id = $1{(lockRow ? " FOR UPDATE" : "")};");
        command.Parameters.AddWithValue(id);
        return (await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    private static async Task<List<FineTuningJobRecord>> ReadJobsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<FineTuningJobRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    }

    private static FineTuningJobRecord ReadJob(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Owner = PostgresRows.NullableString(reader, 1),
        Status = reader.GetString(2),
        CreatedAt = reader.GetInt64(3),
        Data = reader.GetString(4),
        Sequence = reader.GetInt64(5),
        LeaseHolder = PostgresRows.NullableString(reader, 6),
        LeaseExpires = reader.IsDBNull(7) ? null : PostgresRows.Timestamp(reader, 7),
        Attempts = reader.GetInt32(8),
    };

    private Task AddItemAsync(string table, string what, FineTuningJobItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _database.RunAsync($"record a {what} of fine-tuning job '{item.JobId}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction,
                $"INSERT INTO {table} (job_id, id, created_at, data) VALUES ($1, $2, $3, $4);");
            command.Parameters.AddWithValue(item.JobId);
            command.Parameters.AddWithValue(item.Id);
            command.Parameters.AddWithValue(item.CreatedAt);
            command.Parameters.AddWithValue(item.Data);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<IReadOnlyList<FineTuningJobItem>> ListItemsAsync(string table, string what, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return _database.RunAsync($"list the {what} of fine-tuning job '{jobId}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, $"SELECT id, job_id, created_at, data FROM {table} WHERE job_id = $1 ORDER BY seq DESC;");
            command.Parameters.AddWithValue(jobId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var items = new List<FineTuningJobItem>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(new FineTuningJobItem(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)));
            }

            return (IReadOnlyList<FineTuningJobItem>)items;
        }, cancellationToken);
    }
}
