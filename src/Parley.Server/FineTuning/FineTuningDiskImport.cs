using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Core.FineTuning;
using Parley.Server.Telemetry;

namespace Parley.Server.FineTuning;

/// <summary>
/// Moves the records that Parley versions before the database kept on disk — <c>files/&lt;id&gt;.json</c> and
/// <c>jobs/&lt;id&gt;/job.json</c> with <c>events.jsonl</c> and <c>checkpoints.json</c> — into the database when the
/// server starts, so no job or file is lost. Each imported record is renamed to <c>….imported</c> afterwards (kept, not
/// deleted); a record already in the database is not imported twice. A damaged job record becomes a failed job (and
/// is kept as <c>job.json.bad</c>); a damaged file record is skipped with a warning. The blobs stay where they are.
/// </summary>
internal sealed partial class FineTuningDiskImport(FineTuningStore store, ILogger<FineTuningDiskImport> logger) : IHostedService
{
    public const string ImportedSuffix = ".imported";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int files = 0, jobs = 0;
        foreach (var path in Directory.EnumerateFiles(store.FilesFolder, FineTuningIds.File + "*.json"))
        {
            files += await ImportFileAsync(path, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        var found = new List<(string Id, string Path, StoredJob? Job, string? Error)>();
        foreach (var folder in Directory.EnumerateDirectories(store.JobsFolder, FineTuningIds.Job + "*"))
        {
            var path = Path.Combine(folder, "job.json");
            var id = Path.GetFileName(folder);
            if (FineTuningIds.IsValid(id, FineTuningIds.Job) && File.Exists(path))
            {
                var (job, error) = await ReadAsync<StoredJob>(path, cancellationToken).ConfigureAwait(false);
                found.Add((id, path, job is { Job: not null } ? job : null, job is { Job: not null } ? null : error ?? "the record is empty or null"));
            }
        }

        // Oldest first, so the database's creation order (and the queue's) is the one the jobs had.
        foreach (var (id, path, job, error) in found.OrderBy(j => j.Job?.Sequence ?? long.MaxValue).ThenBy(j => j.Id, StringComparer.Ordinal))
        {
            jobs += await ImportJobAsync(id, path, job, error, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        if (files + jobs > 0)
        {
            LogImported(logger, files, jobs, store.Root);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> ImportFileAsync(string path, CancellationToken cancellationToken)
    {
        var id = Path.GetFileNameWithoutExtension(path);
        if (!FineTuningIds.IsValid(id, FineTuningIds.File))
        {
            return false;
        }

        var (file, error) = await ReadAsync<FileObject>(path, cancellationToken).ConfigureAwait(false);
        if (file is null || file.Id != id)
        {
            LogUnreadableFile(logger, id, path, LogText.Escape(error ?? "the record is null or names another file"));
            return false;
        }

        if (await store.Records.GetFileAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            await store.Records.AddFileAsync(FineTuningStore.ToRecord(file, owner: null), cancellationToken).ConfigureAwait(false);
        }

        File.Move(path, path + ImportedSuffix, overwrite: true);
        return true;
    }

    private async Task<bool> ImportJobAsync(string id, string path, StoredJob? stored, string? error, CancellationToken cancellationToken)
    {
        if (await store.Records.GetJobAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            FineTuningJobObject job;
            if (stored is null)
            {
                LogUnreadableJob(logger, id, path, LogText.Escape(error));
                File.Copy(path, path + ".bad", overwrite: true);
                job = FineTuningStore.UnreadableJob(id, new DateTimeOffset(Directory.GetCreationTimeUtc(Path.GetDirectoryName(path)!), TimeSpan.Zero).ToUnixTimeSeconds(), store.Now);
            }
            else
            {
                job = stored.Job;
            }

            // A job that had started counts as claimed once, so the queue says it runs again from the beginning.
            var record = FineTuningStore.ToRecord(job, owner: null) with { Attempts = job.Status == "validating_files" ? 0 : 1 };
            await store.Records.CreateJobAsync(record, cancellationToken).ConfigureAwait(false);
            var folder = Path.GetDirectoryName(path)!;
            await ImportEventsAsync(id, Path.Combine(folder, "events.jsonl"), cancellationToken).ConfigureAwait(false);
            var (checkpoints, _) = await ReadAsync<List<FineTuningCheckpointObject>>(Path.Combine(folder, "checkpoints.json"), cancellationToken).ConfigureAwait(false);
            foreach (var checkpoint in checkpoints ?? [])
            {
                await store.AddCheckpointAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            }
        }

        File.Move(path, path + ImportedSuffix, overwrite: true);
        return true;
    }

    private async Task ImportEventsAsync(string jobId, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return;
        }

        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            // A line cut short by a crash is skipped.
            FineTuningEventObject? item = null;
            try
            {
                item = line.Length == 0 ? null : JsonSerializer.Deserialize<FineTuningEventObject>(line, ServerJson.Options);
            }
            catch (JsonException)
            {
            }

            if (item is not null)
            {
                await store.Records.AddEventAsync(new FineTuningJobItem(item.Id, jobId, item.CreatedAt, JsonSerializer.Serialize(item, ServerJson.Options)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<(T? Value, string? Error)> ReadAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        if (!File.Exists(path))
        {
            return (null, "missing");
        }

        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using (stream.ConfigureAwait(false))
            {
                return (await JsonSerializer.DeserializeAsync<T>(stream, ServerJson.Options, cancellationToken).ConfigureAwait(false), null);
            }
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    [LoggerMessage(EventId = 34, Level = LogLevel.Information, Message = "Moved {Files} fine-tuning file records and {Jobs} job records from {Root} into the database (the originals are kept as *.imported)")]
    private static partial void LogImported(ILogger logger, int files, int jobs, string root);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Fine-tuning file {FileId}: its record {Path} cannot be read ({Reason}); the file is not imported")]
    private static partial void LogUnreadableFile(ILogger logger, string fileId, string path, string? reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Fine-tuning job {JobId}: its record {Path} cannot be read ({Reason}); the job is marked failed and the record kept as job.json.bad")]
    private static partial void LogUnreadableJob(ILogger logger, string jobId, string path, string? reason);

    /// <summary>What <c>job.json</c> held: the job and its creation order.</summary>
    private sealed record StoredJob(FineTuningJobObject Job, long Sequence);
}
