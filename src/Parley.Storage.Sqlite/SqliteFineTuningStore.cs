using Microsoft.Data.Sqlite;
using Parley.Core.Conversations;
using Parley.Core.FineTuning;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The fine-tuning API's records and job queue in the same SQLite database as the conversations. A claim runs in one
/// write transaction (SQLite has one writer at a time), so two processes sharing the file never claim the same job.
/// </summary>
public sealed class SqliteFineTuningStore : IFineTuningStore, IDisposable
{
    private const string JobColumns = "id, owner, status, created_at, data, seq, lease_holder, lease_expires, attempts";

    private static readonly string Active = string.Join(", ", FineTuningJobRecord.ActiveStatuses.Select(s => $"'{s}'"));

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _clock;

    /// <summary>Opens the store; the database is created or upgraded on first use.</summary>
    public SqliteFineTuningStore(SqliteConversationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = new SqliteDatabase(Path.GetFullPath(options.Path), options.BusyTimeout);
        _clock = options.TimeProvider;
    }

    /// <inheritdoc />
    public async Task AddFileAsync(FineTuningFileRecord file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        await _database.WriteAsync($"record fine-tuning file '{file.Id}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO fine_tuning_files (id, owner, created_at, data) VALUES ($id, $owner, $created, $data);");
            command.Parameters.AddWithValue("$id", file.Id);
            command.Parameters.AddWithValue("$owner", (object?)file.Owner ?? DBNull.Value);
            command.Parameters.AddWithValue("$created", file.CreatedAt);
            command.Parameters.AddWithValue("$data", file.Data);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<FineTuningFileRecord?> GetFileAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var files = await QueryFilesAsync($"load fine-tuning file '{id}'", "WHERE id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken).ConfigureAwait(false);
        return files.Count == 0 ? null : files[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FineTuningFileRecord>> ListFilesAsync(string? owner, CancellationToken cancellationToken = default) => owner is null
        ? QueryFilesAsync("list fine-tuning files", "", _ => { }, cancellationToken)
        : QueryFilesAsync("list fine-tuning files", "WHERE owner = $owner", c => c.Parameters.AddWithValue("$owner", owner), cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteFileAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.WriteAsync($"delete fine-tuning file '{id}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, "DELETE FROM fine_tuning_files WHERE id = $id;");
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FineTuningJobRecord> CreateJobAsync(FineTuningJobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _database.WriteAsync($"record fine-tuning job '{job.Id}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO fine_tuning_jobs (id, owner, status, created_at, data, attempts) VALUES ($id, $owner, $status, $created, $data, $attempts)
                RETURNING seq;
                """);
            command.Parameters.AddWithValue("$id", job.Id);
            command.Parameters.AddWithValue("$owner", (object?)job.Owner ?? DBNull.Value);
            command.Parameters.AddWithValue("$status", job.Status);
            command.Parameters.AddWithValue("$created", job.CreatedAt);
            command.Parameters.AddWithValue("$data", job.Data);
            command.Parameters.AddWithValue("$attempts", job.Attempts);
            var sequence = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return job with { Sequence = sequence, LeaseHolder = null, LeaseExpires = null };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<FineTuningJobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await _database.ReadAsync($"load fine-tuning job '{id}'", (connection, transaction) => ReadJobAsync(connection, transaction, id, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FineTuningJobRecord>> ListJobsAsync(string? owner, CancellationToken cancellationToken = default) =>
        _database.ReadAsync("list fine-tuning jobs", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                $"SELECT {JobColumns} FROM fine_tuning_jobs {(owner is null ? "" : "WHERE owner = $owner")} ORDER BY seq DESC;");
            if (owner is not null)
            {
                command.Parameters.AddWithValue("$owner", owner);
            }

            return (IReadOnlyList<FineTuningJobRecord>)await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<(FineTuningJobRecord? Job, bool Changed)> UpdateJobAsync(string id, Func<FineTuningJobRecord, FineTuningJobRecord?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(change);
        return _database.WriteAsync<(FineTuningJobRecord?, bool)>($"update fine-tuning job '{id}'", async (connection, transaction) =>
        {
            if (await ReadJobAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return (null, false);
            }

            if (change(stored) is not { } updated)
            {
                return (stored, false);
            }

            var ended = !FineTuningJobRecord.IsActive(updated.Status);
            using var command = SqliteDatabase.Command(connection, transaction, $"""
                UPDATE fine_tuning_jobs SET status = $status, data = $data
                    {(ended ? ", lease_holder = NULL, lease_expires = NULL" : "")}
                WHERE id = $id;
                """);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$status", updated.Status);
            command.Parameters.AddWithValue("$data", updated.Data);
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
        return _database.WriteAsync($"clear the checkpoints of fine-tuning job '{jobId}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, "DELETE FROM fine_tuning_checkpoints WHERE job_id = $job;");
            command.Parameters.AddWithValue("$job", jobId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FineTuningClaim?> ClaimNextJobAsync(string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var now = _clock.GetUtcNow();
        return _database.WriteAsync("claim a fine-tuning job", async (connection, transaction) =>
        {
            FineTuningJobRecord? free;
            using (var find = SqliteDatabase.Command(connection, transaction, $"""
                SELECT {JobColumns} FROM fine_tuning_jobs
                WHERE status IN ({Active}) AND (lease_holder IS NULL OR lease_expires <= $now)
                ORDER BY seq LIMIT 1;
                """))
            {
                find.Parameters.AddWithValue("$now", SqliteRows.FormatTimestamp(now));
                free = (await ReadJobsAsync(find, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            }

            if (free is null)
            {
                return null;
            }

            var expires = now + lease;
            using var claim = SqliteDatabase.Command(connection, transaction,
                "UPDATE fine_tuning_jobs SET lease_holder = $worker, lease_expires = $expires, attempts = attempts + 1 WHERE id = $id;");
            claim.Parameters.AddWithValue("$worker", worker);
            claim.Parameters.AddWithValue("$expires", SqliteRows.FormatTimestamp(expires));
            claim.Parameters.AddWithValue("$id", free.Id);
            await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new FineTuningClaim(free with { LeaseHolder = worker, LeaseExpires = expires, Attempts = free.Attempts + 1 }, free.LeaseHolder, free.LeaseExpires);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewLeaseAsync(string jobId, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var expires = _clock.GetUtcNow() + lease;
        return _database.WriteAsync($"renew the lease on fine-tuning job '{jobId}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                $"UPDATE fine_tuning_jobs SET lease_expires = $expires WHERE id = $id AND lease_holder = $worker AND status IN ({Active});");
            command.Parameters.AddWithValue("$expires", SqliteRows.FormatTimestamp(expires));
            command.Parameters.AddWithValue("$id", jobId);
            command.Parameters.AddWithValue("$worker", worker);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string jobId, string worker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentException.ThrowIfNullOrEmpty(worker);
        return _database.WriteAsync($"release the lease on fine-tuning job '{jobId}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                $"""
                UPDATE fine_tuning_jobs SET lease_holder = NULL, lease_expires = NULL,
                    attempts = CASE WHEN status IN ({Active}) AND attempts > 0 THEN attempts - 1 ELSE attempts END
                WHERE id = $id AND lease_holder = $worker;
                """);
            command.Parameters.AddWithValue("$id", jobId);
            command.Parameters.AddWithValue("$worker", worker);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private Task<IReadOnlyList<FineTuningFileRecord>> QueryFilesAsync(string action, string where, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        _database.ReadAsync(action, async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, $"SELECT id, owner, created_at, data FROM fine_tuning_files {where} ORDER BY created_at DESC, id;");
            bind(command);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var files = new List<FineTuningFileRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                files.Add(new FineTuningFileRecord
                {
                    Id = reader.GetString(0),
                    Owner = reader.IsDBNull(1) ? null : reader.GetString(1),
                    CreatedAt = reader.GetInt64(2),
                    Data = reader.GetString(3),
                });
            }

            return (IReadOnlyList<FineTuningFileRecord>)files;
        }, cancellationToken);

    private static async Task<FineTuningJobRecord?> ReadJobAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        using var command = SqliteDatabase.Command(connection, transaction, $"SELECT {JobColumns} FROM fine_tuning_jobs WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        return (await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    private static async Task<List<FineTuningJobRecord>> ReadJobsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<FineTuningJobRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(new FineTuningJobRecord
            {
                Id = reader.GetString(0),
                Owner = reader.IsDBNull(1) ? null : reader.GetString(1),
                Status = reader.GetString(2),
                CreatedAt = reader.GetInt64(3),
                Data = reader.GetString(4),
                Sequence = reader.GetInt64(5),
                LeaseHolder = reader.IsDBNull(6) ? null : reader.GetString(6),
                LeaseExpires = reader.IsDBNull(7) ? null : SqliteRows.ParseTimestamp(reader.GetString(7)),
                Attempts = reader.GetInt32(8),
            });
        }

        return jobs;
    }

    private Task AddItemAsync(string table, string what, FineTuningJobItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _database.WriteAsync($"record a {what} of fine-tuning job '{item.JobId}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                $"INSERT INTO {table} (job_id, id, created_at, data) VALUES ($job, $id, $created, $data);");
            command.Parameters.AddWithValue("$job", item.JobId);
            command.Parameters.AddWithValue("$id", item.Id);
            command.Parameters.AddWithValue("$created", item.CreatedAt);
            command.Parameters.AddWithValue("$data", item.Data);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<IReadOnlyList<FineTuningJobItem>> ListItemsAsync(string table, string what, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return _database.ReadAsync($"list the {what} of fine-tuning job '{jobId}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, $"SELECT id, job_id, created_at, data FROM {table} WHERE job_id = $job ORDER BY seq DESC;");
            command.Parameters.AddWithValue("$job", jobId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var items = new List<FineTuningJobItem>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(new FineTuningJobItem(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)));
            }

            return (IReadOnlyList<FineTuningJobItem>)items;
        }, cancellationToken);
    }
}
