using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Core.IO;

namespace Parley.Server.FineTuning;

/// <summary>
/// The fine-tuning files and jobs on disk: <c>files/&lt;id&gt;.jsonl</c> + <c>files/&lt;id&gt;.json</c>, and per job
/// <c>jobs/&lt;id&gt;/job.json</c> (rewritten atomically on every change), <c>events.jsonl</c> (appended),
/// <c>checkpoints.json</c> and the trained <c>model/</c>.
/// </summary>
internal sealed class FineTuningStore
{
    private const string JobFile = "job.json";
    private const string EventsFile = "events.jsonl";
    private const string CheckpointsFile = "checkpoints.json";

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _clock;
    private long _lastSequence;

    public FineTuningStore(ParleyServerOptions options, Parley.Hosting.ParleyDataFolder data)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        Root = Path.GetFullPath(options.FineTuningDirectory ?? data.FineTuning);
        _clock = options.TimeProvider;
        Directory.CreateDirectory(FilesFolder);
        Directory.CreateDirectory(JobsFolder);
    }

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
        File.Move(uploadPath, ContentPath(file.Id));
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

        return await ReadAsync<FileObject>(MetadataPath(id), cancellationToken).ConfigureAwait(false);
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

        var list = await ReadAsync<List<FineTuningCheckpointObject>>(path, cancellationToken).ConfigureAwait(false) ?? [];
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
        return FineTuningIds.IsValid(id, FineTuningIds.Job) && File.Exists(path)
            ? await ReadAsync<StoredJob>(path, cancellationToken).ConfigureAwait(false)
            : null;
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

    /// <summary>What <c>job.json</c> holds: the job and its creation order (several jobs may share a second).</summary>
    private sealed record StoredJob(FineTuningJobObject Job, long Sequence);
}
