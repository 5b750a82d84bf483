using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Core.FineTuning;
using Parley.Core.IO;
using Parley.OpenAI.FineTuning;
using Parley.Server.Security;
using Parley.Server.Telemetry;

namespace Parley.Server.FineTuning;

/// <summary>
/// The fine-tuning files and jobs: their records (metadata, owner, status, events, checkpoints, the queue's leases)
/// in the database (<see cref="IFineTuningStore"/>, shared by the servers on it), and the blobs on the file system
/// under the fine-tuning folder: uploaded contents as <c>files/&lt;id&gt;.jsonl</c>, trained models as
/// <c>jobs/&lt;id&gt;/model/</c>. Servers sharing a database share that folder too (see <c>docs/deployment.md</c>).
/// Lookups take the <see cref="ApiCaller"/>: a record of another key's is not found.
/// </summary>
internal sealed partial class FineTuningStore
{
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public FineTuningStore(ParleyServerOptions options, Parley.Hosting.ParleyDataFolder data, IFineTuningStore records, ILogger<FineTuningStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        Records = records ?? throw new ArgumentNullException(nameof(records));
        Root = Path.GetFullPath(options.FineTuningDirectory ?? data.FineTuning);
        _clock = options.TimeProvider;
        _logger = logger ?? NullLogger<FineTuningStore>.Instance;
        Directory.CreateDirectory(FilesFolder);
        Directory.CreateDirectory(JobsFolder);
        RemoveLeftovers(DateTime.UtcNow - LeftoverAge);
    }

    /// <summary>How old a temporary file or staging folder must be to count as left over by a crash (a live writer touches its own more often).</summary>
    public static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(1);

    /// <summary>The records and the queue in the database.</summary>
    public IFineTuningStore Records { get; }

    /// <summary>The fine-tuning folder: the blobs, and records of Parley versions before the database held them.</summary>
    public string Root { get; }

    public string FilesFolder => Path.Combine(Root, "files");

    public string JobsFolder => Path.Combine(Root, "jobs");

    public long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    // ---- files ----

    /// <summary>A fresh temporary path in the files folder for an upload in progress.</summary>
    public string NewUploadPath() => Path.Combine(FilesFolder, $".upload-{Guid.NewGuid():N}.tmp");

    /// <summary>Moves a checked upload into place and records it for <paramref name="owner"/>.</summary>
    public async Task<FileObject> AddFileAsync(string uploadPath, string filename, string purpose, string? owner, CancellationToken cancellationToken)
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
        // The record is written last: a file is listed only once its content is in place.
        await Records.AddFileAsync(ToRecord(file, owner), cancellationToken).ConfigureAwait(false);
        return file;
    }

    public static FineTuningFileRecord ToRecord(FileObject file, string? owner) =>
        new() { Id = file.Id, Owner = owner, CreatedAt = file.CreatedAt, Data = JsonSerializer.Serialize(file, ServerJson.Options) };

    /// <summary>The file, when it exists, its content is in place, and <paramref name="caller"/> may see it.</summary>
    public async Task<FileObject?> GetFileAsync(string id, ApiCaller caller, CancellationToken cancellationToken)
    {
        if (!FineTuningIds.IsValid(id, FineTuningIds.File)
            || await Records.GetFileAsync(id, cancellationToken).ConfigureAwait(false) is not { } record
            || !caller.CanSee(record.Owner)
            || !File.Exists(ContentPath(id)))
        {
            return null;
        }

        return ReadFile(record);
    }

    /// <summary>The files <paramref name="caller"/> may see, newest first.</summary>
    public async Task<IReadOnlyList<FileObject>> ListFilesAsync(ApiCaller caller, CancellationToken cancellationToken)
    {
        var records = await Records.ListFilesAsync(caller.ListFilter, cancellationToken).ConfigureAwait(false);
        return [.. records.Where(r => caller.CanSee(r.Owner)).Select(ReadFile).OfType<FileObject>()];
    }

    public string ContentPath(string id) => Path.Combine(FilesFolder, id + ".jsonl");

    /// <summary>Deletes a file <paramref name="caller"/> may see: its record, then its content; false when there is none.</summary>
    public async Task<bool> DeleteFileAsync(string id, ApiCaller caller, CancellationToken cancellationToken)
    {
        if (!FineTuningIds.IsValid(id, FineTuningIds.File)
            || await Records.GetFileAsync(id, cancellationToken).ConfigureAwait(false) is not { } record
            || !caller.CanSee(record.Owner)
            || !await Records.DeleteFileAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        File.Delete(ContentPath(id));
        return true;
    }

    private FileObject? ReadFile(FineTuningFileRecord record)
    {
        try
        {
            return JsonSerializer.Deserialize<FileObject>(record.Data, ServerJson.Options) ?? throw new JsonException("the record is null");
        }
        catch (JsonException e)
        {
            LogUnreadableFile(_logger, record.Id, LogText.Escape(e.Message));
            return null;
        }
    }

    // ---- jobs ----

    /// <summary>Records a new job for <paramref name="owner"/>; the queue picks it up.</summary>
    public Task CreateJobAsync(FineTuningJobObject job, string? owner, CancellationToken cancellationToken) =>
        Records.CreateJobAsync(ToRecord(job, owner), cancellationToken);

    public static FineTuningJobRecord ToRecord(FineTuningJobObject job, string? owner) =>
        new() { Id = job.Id, Owner = owner, Status = job.Status, CreatedAt = job.CreatedAt, Data = JsonSerializer.Serialize(job, ServerJson.Options) };

    /// <summary>The job, when it exists and <paramref name="caller"/> may see it.</summary>
    public async Task<FineTuningJobObject?> GetJobAsync(string id, ApiCaller caller, CancellationToken cancellationToken) =>
        FineTuningIds.IsValid(id, FineTuningIds.Job) && await Records.GetJobAsync(id, cancellationToken).ConfigureAwait(false) is { } record && caller.CanSee(record.Owner)
            ? ReadJob(record)
            : null;

    /// <summary>The jobs <paramref name="caller"/> may see, newest first.</summary>
    public async Task<IReadOnlyList<FineTuningJobObject>> ListJobsAsync(ApiCaller caller, CancellationToken cancellationToken)
    {
        var records = await Records.ListJobsAsync(caller.ListFilter, cancellationToken).ConfigureAwait(false);
        return [.. records.Where(r => caller.CanSee(r.Owner)).Select(ReadJob)];
    }

    /// <summary>
    /// Changes a job atomically (across servers): <paramref name="change"/> gets the current job and returns the new
    /// one, or null to leave it. Returns the job as stored afterwards, or null when there is no such job.
    /// </summary>
    public async Task<(FineTuningJobObject? Job, bool Changed)> UpdateJobAsync(
        string id, Func<FineTuningJobObject, FineTuningJobObject?> change, CancellationToken cancellationToken)
    {
        FineTuningJobObject? updated = null;
        var (record, changed) = await Records.UpdateJobAsync(id, r =>
        {
            updated = change(ReadJob(r));
            return updated is null ? null : r with { Status = updated.Status, Data = JsonSerializer.Serialize(updated, ServerJson.Options) };
        }, cancellationToken).ConfigureAwait(false);
        return (changed ? updated : record is null ? null : ReadJob(record), changed);
    }

    public Task AddEventAsync(string jobId, string level, string message, string type = "message", JsonObject? data = null, CancellationToken cancellationToken = default)
    {
        var item = new FineTuningEventObject(FineTuningIds.New(FineTuningIds.Event), Now, level, message, type, data);
        return Records.AddEventAsync(new FineTuningJobItem(item.Id, jobId, item.CreatedAt, JsonSerializer.Serialize(item, ServerJson.Options)), cancellationToken);
    }

    /// <summary>The job's events, newest first.</summary>
    public async Task<IReadOnlyList<FineTuningEventObject>> ListEventsAsync(string jobId, CancellationToken cancellationToken) =>
        [.. (await Records.ListEventsAsync(jobId, cancellationToken).ConfigureAwait(false)).Select(i => TryParse<FineTuningEventObject>(i.Data)).OfType<FineTuningEventObject>()];

    public Task AddCheckpointAsync(FineTuningCheckpointObject checkpoint, CancellationToken cancellationToken) =>
        Records.AddCheckpointAsync(new FineTuningJobItem(checkpoint.Id, checkpoint.FineTuningJobId, checkpoint.CreatedAt, JsonSerializer.Serialize(checkpoint, ServerJson.Options)), cancellationToken);

    /// <summary>The job's checkpoints, newest first.</summary>
    public async Task<IReadOnlyList<FineTuningCheckpointObject>> ListCheckpointsAsync(string jobId, CancellationToken cancellationToken) =>
        [.. (await Records.ListCheckpointsAsync(jobId, cancellationToken).ConfigureAwait(false)).Select(i => TryParse<FineTuningCheckpointObject>(i.Data)).OfType<FineTuningCheckpointObject>()];

    /// <summary>Forgets a job's checkpoints (it runs again from the beginning).</summary>
    public Task ClearCheckpointsAsync(string jobId, CancellationToken cancellationToken) => Records.ClearCheckpointsAsync(jobId, cancellationToken);

    public string ModelPath(string jobId) => Path.Combine(JobFolder(jobId), "model");

    public string JobFolder(string id) => Path.Combine(JobsFolder, id);

    /// <summary>Where a job that fine-tunes the encoder keeps the exported encoder until the model is saved.</summary>
    public string EncoderWorkPath(string jobId) => Path.Combine(JobFolder(jobId), "encoder-training");

    /// <summary>The job a record holds; a record whose data cannot be read (damaged by hand) shows as a failed job.</summary>
    public FineTuningJobObject ReadJob(FineTuningJobRecord record)
    {
        try
        {
            return JsonSerializer.Deserialize<FineTuningJobObject>(record.Data, ServerJson.Options) ?? throw new JsonException("the record is null");
        }
        catch (JsonException e)
        {
            LogUnreadableJob(_logger, record.Id, LogText.Escape(e.Message));
            return UnreadableJob(record.Id, record.CreatedAt, Now);
        }
    }

    /// <summary>What a job whose record cannot be read shows: failed, with the reason.</summary>
    public static FineTuningJobObject UnreadableJob(string id, long createdAt, long now) => new()
    {
        Id = id,
        CreatedAt = createdAt,
        FinishedAt = now,
        Status = FineTuningJobStatuses.Failed,
        Error = new FineTuningJobError("invalid_job_record", "The job's record on the server could not be read (it was damaged), so the job was stopped. Create a new job.", null),
        Model = "unknown",
        TrainingFile = "unknown",
        Seed = 0,
        Hyperparameters = [],
        Method = new JsonObject { ["type"] = "supervised" },
    };

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

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Fine-tuning file {FileId}: its record cannot be read ({Reason}); the file is left out of lists")]
    private static partial void LogUnreadableFile(ILogger logger, string fileId, string? reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Fine-tuning job {JobId}: its record cannot be read ({Reason}); the job shows as failed")]
    private static partial void LogUnreadableJob(ILogger logger, string jobId, string? reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Removed {Count} temporary files or folders left by an interrupted upload or write in {Root}")]
    private static partial void LogLeftovers(ILogger logger, int count, string root);
}
