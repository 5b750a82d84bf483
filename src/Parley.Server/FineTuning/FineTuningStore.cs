using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Core.IO;
using Parley.OpenAI.FineTuning;
using Parley.Server.Telemetry;

namespace Parley.Server.FineTuning;

/// <summary>
/// The fine-tuning files and jobs on disk: <c>files/&lt;id&gt;.jsonl</c> + <c>files/&lt;id&gt;.json</c>, and per job
/// <c>jobs/&lt;id&gt;/job.json</c> (rewritten atomically on every change), <c>events.jsonl</c> (appended),
/// <c>checkpoints.json</c> and the trained <c>model/</c>. A record that cannot be read (damaged by hand or by a crash)
/// never breaks a list: a file's is skipped, a job's marks that job failed; both with a warning.
/// </summary>
internal sealed partial class FineTuningStore
{
    private const string JobFile = "job.json";
    private const string EventsFile = "events.jsonl";
    private const string CheckpointsFile = "checkpoints.json";

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private long _lastSequence;

    public FineTuningStore(ParleyServerOptions options, Parley.Hosting.ParleyDataFolder data, ILogger<FineTuningStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        Root = Path.GetFullPath(options.FineTuningDirectory ?? data.FineTuning);
        _clock = options.TimeProvider;
        _logger = logger ?? NullLogger<FineTuningStore>.Instance;
        Directory.CreateDirectory(FilesFolder);
        Directory.CreateDirectory(JobsFolder);
        RemoveLeftovers(DateTime.UtcNow - LeftoverAge);
    }

    /// <summary>How old a temporary file or staging folder must be to count as left over by a crash (a live writer touches its own more often).</summary>
    public static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(1);

    public string Root { get; }

    private string FilesFolder => Path.Combine(Root, "files");

    private string JobsFolder => Path.Combine(Root, "jobs");

    public long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    // ---- files ----

    /// <summary>A fresh temporary path in the files folder for an upload in progress.</summary>
    public string NewUploadPath() => Path.Combine(FilesFolder, $".upload-{Guid.NewGuid():N}.tmp");

    /// <summary>Moves a checked upload into place and records it.</summary>
    public async Task<FileObject> AddFileAsync(string uploadPath, string filename, string purpose, CancellationToken cancellationToken)
    {
        var file = new FileObject
        {
            Id = FineTuningIds.New(FineTuningIds.File),
            Bytes = new FileInfo(uploadPath).Length,
            CreatedAt = Now,
            Filename = filename,
            Purpose = purpose,
        };
        AtomicFile.MoveDurably(uploadPath, ContentPath(file.Id));
        // The metadata is written last: a file is listed only once its content is in place.
        await AtomicFile.WriteAllTextAsync(MetadataPath(file.Id), JsonSerializer.Serialize(file, ServerJson.Options), cancellationToken).ConfigureAwait(false);
        return file;
    }

    public async Task<FileObject?> GetFileAsync(string id, CancellationToken cancellationToken)
    {
        if (!FineTuningIds.IsValid(id, FineTuningIds.File) || !File.Exists(MetadataPath(id)) || !File.Exists(ContentPath(id)))
        {
            return null;
        }

        try
        {
            return await ReadAsync<FileObject>(MetadataPath(id), cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("the record is null");
        }
        catch (JsonException e)
        {
            LogUnreadableFile(_logger, id, MetadataPath(id), LogText.Escape(e.Message));
            return null;
        }
    }

    public async Task<IReadOnlyList<FileObject>> ListFilesAsync(CancellationToken cancellationToken)
    {
        var files = new List<FileObject>();
        foreach (var path in Directory.EnumerateFiles(FilesFolder, FineTuningIds.File + "*.json"))
        {
            if (await GetFileAsync(Path.GetFileNameWithoutExtension(path), cancellationToken).ConfigureAwait(false) is { } file)
            {
                files.Add(file);
            }
        }

        return [.. files.OrderByDescending(f => f.CreatedAt).ThenBy(f => f.Id, StringComparer.Ordinal)];
    }

    public string ContentPath(string id) => Path.Combine(FilesFolder, id + ".jsonl");

    public bool DeleteFile(string id)
    {
        if (!FineTuningIds.IsValid(id, FineTuningIds.File) || !File.Exists(MetadataPath(id)))
        {
            return false;
        }

        File.Delete(MetadataPath(id));
        File.Delete(ContentPath(id));
        return true;
    }

    private string MetadataPath(string id) => Path.Combine(FilesFolder, id + ".json");

    // ---- jobs ----

    public async Task CreateJobAsync(FineTuningJobObject job, CancellationToken cancellationToken)
    {
        var sequence = Math.Max(Interlocked.Increment(ref _lastSequence), _clock.GetUtcNow().UtcTicks);
        Interlocked.Exchange(ref _lastSequence, sequence);
        Directory.CreateDirectory(JobFolder(job.Id));
        await WriteJobAsync(new StoredJob(job, sequence), cancellationToken).ConfigureAwait(false);
    }

    public async Task<FineTuningJobObject?> GetJobAsync(string id, CancellationToken cancellationToken) =>
        (await GetStoredAsync(id, cancellationToken).ConfigureAwait(false))?.Job;

    /// <summary>All jobs, newest first.</summary>
    public async Task<IReadOnlyList<FineTuningJobObject>> ListJobsAsync(CancellationToken cancellationToken)
    {
        var jobs = new List<StoredJob>();
        foreach (var folder in Directory.EnumerateDirectories(JobsFolder, FineTuningIds.Job + "*"))
        {
            if (await GetStoredAsync(Path.GetFileName(folder), cancellationToken).ConfigureAwait(false) is { } job)
            {
                jobs.Add(job);
            }
        }

        return [.. jobs.OrderByDescending(j => j.Sequence).ThenBy(j => j.Job.Id, StringComparer.Ordinal).Select(j => j.Job)];
    }

    /// <summary>
    /// Changes a job under the write lock: <paramref name="change"/> gets the current job and returns the new one, or
    /// null to leave it. Returns the job as stored afterwards, or null when there is no such job.
    /// </summary>
    public async Task<(FineTuningJobObject? Job, bool Changed)> UpdateJobAsync(
        string id, Func<FineTuningJobObject, FineTuningJobObject?> change, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await GetStoredAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return (null, false);
            }

            if (change(stored.Job) is not { } updated)
            {
                return (stored.Job, false);
            }

            await WriteJobAsync(stored with { Job = updated }, CancellationToken.None).ConfigureAwait(false);
            return (updated, true);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task AddEventAsync(string jobId, string level, string message, string type = "message", JsonObject? data = null, CancellationToken cancellationToken = default)
    {
        var item = new FineTuningEventObject(FineTuningIds.New(FineTuningIds.Event), Now, level, message, type, data);
        var line = JsonSerializer.Serialize(item, ServerJson.Options) + "\n";
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = new FileStream(Path.Combine(JobFolder(jobId), EventsFile), FileMode.Append, FileAccess.Write, FileShare.Read);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(line), CancellationToken.None).ConfigureAwait(false);
                await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The job's events, newest first.</summary>
    public async Task<IReadOnlyList<FineTuningEventObject>> ListEventsAsync(string jobId, CancellationToken cancellationToken)
    {
        var path = Path.Combine(JobFolder(jobId), EventsFile);
        if (!File.Exists(path))
        {
            return [];
        }

        var events = new List<FineTuningEventObject>();
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            // A line cut short by a crash is skipped; every complete line ends in a newline.
            if (line.Length > 0 && TryParse<FineTuningEventObject>(line) is { } item)
            {
                events.Add(item);
            }
        }

        events.Reverse();
        return events;
    }

    public async Task AddCheckpointAsync(FineTuningCheckpointObject checkpoint, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var list = (await ListCheckpointsAsync(checkpoint.FineTuningJobId, cancellationToken).ConfigureAwait(false)).Reverse().Append(checkpoint).ToList();
            await AtomicFile.WriteAllTextAsync(Path.Combine(JobFolder(checkpoint.FineTuningJobId), CheckpointsFile), JsonSerializer.Serialize(list, ServerJson.Options), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The job's checkpoints, newest first.</summary>
    public async Task<IReadOnlyList<FineTuningCheckpointObject>> ListCheckpointsAsync(string jobId, CancellationToken cancellationToken)
    {
        var path = Path.Combine(JobFolder(jobId), CheckpointsFile);
        if (!File.Exists(path))
        {
            return [];
        }

        List<FineTuningCheckpointObject> list;
        try
        {
            list = await ReadAsync<List<FineTuningCheckpointObject>>(path, cancellationToken).ConfigureAwait(false) ?? [];
        }
        catch (JsonException e)
        {
            LogUnreadableCheckpoints(_logger, jobId, path, LogText.Escape(e.Message));
            return [];
        }

        list.Reverse();
        return list;
    }

    /// <summary>Forgets a job's checkpoints (it runs again from the beginning).</summary>
    public void ClearCheckpoints(string jobId) => File.Delete(Path.Combine(JobFolder(jobId), CheckpointsFile));

    public string ModelPath(string jobId) => Path.Combine(JobFolder(jobId), "model");

    private string JobFolder(string id) => Path.Combine(JobsFolder, id);

    private async Task<StoredJob?> GetStoredAsync(string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(JobFolder(id), JobFile);
        if (!FineTuningIds.IsValid(id, FineTuningIds.Job) || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return await ReadAsync<StoredJob>(path, cancellationToken).ConfigureAwait(false) is { Job: not null } job
                ? job
                : throw new JsonException("the record is empty or null");
        }
        catch (JsonException e)
        {
            return await MarkUnreadableAsync(id, path, e.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps the damaged record as <c>job.json.bad</c> and stores the job as failed in its place.</summary>
    private async Task<StoredJob> MarkUnreadableAsync(string id, string path, string reason, CancellationToken cancellationToken)
    {
        LogUnreadableJob(_logger, id, path, LogText.Escape(reason));
        var created = new DateTimeOffset(Directory.GetCreationTimeUtc(JobFolder(id)), TimeSpan.Zero);
        var failed = new StoredJob(
            new FineTuningJobObject
            {
                Id = id,
                CreatedAt = created.ToUnixTimeSeconds(),
                FinishedAt = Now,
                Status = FineTuningJobStatuses.Failed,
                Error = new FineTuningJobError("invalid_job_record", "The job's record on the server could not be read (it was damaged), so the job was stopped. Create a new job.", null),
                Model = "unknown",
                TrainingFile = "unknown",
                Seed = 0,
                Hyperparameters = [],
                Method = new JsonObject { ["type"] = "supervised" },
            },
            created.UtcTicks);
        File.Copy(path, path + ".bad", overwrite: true);
        await WriteJobAsync(failed, cancellationToken).ConfigureAwait(false);
        return failed;
    }

    /// <summary>
    /// Removes what a crash left behind: partial uploads and temporary files of interrupted writes, and the staging or
    /// set-aside folders of an interrupted model swap, when last touched before <paramref name="before"/>.
    /// </summary>
    private void RemoveLeftovers(DateTime before)
    {
        var removed = 0;
        var folders = new[] { FilesFolder }.Concat(Directory.EnumerateDirectories(JobsFolder));
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(folder, AtomicFile.TemporaryPattern))
            {
                if (File.GetLastWriteTimeUtc(file) < before)
                {
                    File.Delete(file);
                    removed++;
                }
            }

            foreach (var staged in Directory.EnumerateDirectories(folder, "model.new-*").Concat(Directory.EnumerateDirectories(folder, AtomicFolder.AsidePattern("model"))))
            {
                if (Directory.GetLastWriteTimeUtc(staged) < before)
                {
                    AtomicFolder.TryDelete(staged);
                    removed++;
                }
            }
        }

        if (removed > 0)
        {
            LogLeftovers(_logger, removed, Root);
        }
    }

    private Task WriteJobAsync(StoredJob job, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(Path.Combine(JobFolder(job.Job.Id), JobFile), JsonSerializer.Serialize(job, ServerJson.Options), cancellationToken);

    private static async Task<T?> ReadAsync<T>(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, ServerJson.Options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static T? TryParse<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, ServerJson.Options);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Fine-tuning file {FileId}: its record {Path} cannot be read ({Reason}); the file is left out of lists")]
    private static partial void LogUnreadableFile(ILogger logger, string fileId, string path, string? reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Fine-tuning job {JobId}: its record {Path} cannot be read ({Reason}); the job is marked failed and the record kept as job.json.bad")]
    private static partial void LogUnreadableJob(ILogger logger, string jobId, string path, string? reason);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Fine-tuning job {JobId}: its checkpoints {Path} cannot be read ({Reason}); none are listed")]
    private static partial void LogUnreadableCheckpoints(ILogger logger, string jobId, string path, string? reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Removed {Count} temporary files or folders left by an interrupted upload or write in {Root}")]
    private static partial void LogLeftovers(ILogger logger, int count, string root);

    /// <summary>What <c>job.json</c> holds: the job and its creation order (several jobs may share a second).</summary>
    private sealed record StoredJob(FineTuningJobObject Job, long Sequence);
}
