using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Core.FineTuning;
using Parley.OpenAI.FineTuning;
using Parley.Server.Security;

namespace Parley.Server.FineTuning;

/// <summary>
/// This server's worker on the fine-tuning job queue that every server on the database shares: claims the oldest
/// waiting job under a lease (<see cref="ParleyServerOptions.FineTuningLease"/>), renews it every
/// <see cref="ParleyServerOptions.FineTuningHeartbeat"/> while <see cref="FineTuningJobRunner"/> trains, and runs at
/// most <see cref="ParleyServerOptions.MaxConcurrentFineTuningJobs"/> at a time. A renewal that fails (the job was
/// cancelled on any server, or another worker took it over) stops the training. A job whose worker died is taken over
/// once its lease runs out and trained again from the beginning (the trainer cannot resume from a checkpoint), at most
/// <see cref="MaxAttempts"/> times in all: a job that takes its server down every time is then failed with the reason
/// rather than passed on forever. A server that stops cleanly gives its jobs back; they run again from the beginning on
/// the next worker that claims them, and that start is not counted (rolling restarts do not use up a job's attempts).
/// </summary>
internal sealed partial class FineTuningQueue(FineTuningStore store, FineTuningJobRunner runner, ParleyServerOptions options, ILogger<FineTuningQueue> logger)
    : BackgroundService
{
    /// <summary>
    /// How many times a job is started in all (claims included after a worker died) before it is failed with
    /// <c>worker_lost</c>. A start that ended with a clean stop giving the job back does not count.
    /// </summary>
    public const int MaxAttempts = 3;

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentFineTuningJobs, options.MaxConcurrentFineTuningJobs);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>This worker's id in the leases: the machine, the process and a random part (a restarted process is another worker).</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Tells the worker a job was created, so it looks at once instead of at its next poll.</summary>
    public void Notify()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>
    /// Cancels a job <paramref name="caller"/> may see and that has not finished: its status becomes <c>cancelled</c>
    /// and its training stops — here at once, on another server at that worker's next heartbeat.
    /// </summary>
    /// <returns>The job afterwards, or null when there is no such job.</returns>
    public async Task<FineTuningJobObject?> CancelAsync(string jobId, ApiCaller caller, CancellationToken cancellationToken)
    {
        if (await store.GetJobAsync(jobId, caller, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var (job, changed) = await store.UpdateJobAsync(jobId, j => FineTuningJobStatuses.IsTerminal(j.Status) ? null : j with
        {
            Status = FineTuningJobStatuses.Cancelled,
            FinishedAt = store.Now,
        }, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            if (_running.TryGetValue(jobId, out var running))
            {
                await running.CancelAsync().ConfigureAwait(false);
            }

            await store.AddEventAsync(jobId, "info", "Fine-tuning job cancelled", cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }

        return job;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var jobs = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                FineTuningClaim? claim;
                try
                {
                    claim = await ClaimAsync(stoppingToken).ConfigureAwait(false);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }

                if (claim is null)
                {
                    _slots.Release();
                    await WaitForWorkAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                jobs.RemoveAll(t => t.IsCompleted);
                jobs.Add(Task.Run(async () =>
                {
                    try
                    {
                        await RunClaimedAsync(claim, stoppingToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(jobs).ConfigureAwait(false);
    }

    private async Task<FineTuningClaim?> ClaimAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await store.Records.ClaimNextJobAsync(WorkerId, options.FineTuningLease, stoppingToken).ConfigureAwait(false);
        }
        catch (Parley.Core.Conversations.ConversationStoreException e)
        {
            // The database is unreachable for a moment: try again at the next poll rather than stop the worker.
            LogClaimFailed(logger, e);
            return null;
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        // Woken by a job created here, or after the poll interval to look for jobs other servers created.
        await _wake.WaitAsync(options.FineTuningPollInterval, stoppingToken).ConfigureAwait(false);
    }

    private async Task RunClaimedAsync(FineTuningClaim claim, CancellationToken stoppingToken)
    {
        var jobId = claim.Job.Id;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[jobId] = cancel;
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(jobId, cancel, heartbeatStop.Token);
        try
        {
            var job = store.ReadJob(claim.Job);
            // Started before: taken over from a worker that died, or given back by a server that stopped (or imported
            // from a server's folders) past its first step. Its checkpoints hold metrics, not model state.
            if (claim.PreviousHolder is not null || job.Status != FineTuningJobStatuses.ValidatingFiles)
            {
                var reason = claim.PreviousHolder is null
                    ? $"The server restarted while the job was {job.Status}: it runs again from the beginning."
                    : await TakeOverAsync(job, claim).ConfigureAwait(false);
                if (reason is null || await PrepareRerunAsync(job, reason, cancel.Token).ConfigureAwait(false) is not { } rerun)
                {
                    return;
                }

                job = rerun;
            }

            LogRunning(logger, jobId, WorkerId);
            await store.AddEventAsync(jobId, "info", $"The server {WorkerId} runs the job", cancellationToken: cancel.Token).ConfigureAwait(false);
            await runner.RunAsync(job, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            if (stoppingToken.IsCancellationRequested && await store.Records.GetJobAsync(jobId, CancellationToken.None).ConfigureAwait(false) is { } record && FineTuningJobRecord.IsActive(record.Status))
            {
                await store.AddEventAsync(jobId, "info", "The server is stopping: the job will run again from the beginning on the next server that takes it.").ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            LogFailed(logger, e, jobId);
            await runner.FailAsync(jobId, new FineTuningJobError("server_error", $"Training failed: {e.Message}", null)).ConfigureAwait(false);
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            _running.TryRemove(jobId, out _);
            await ReleaseAsync(jobId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes over a job whose worker died: the reason it runs again from the beginning, or null when it was started
    /// <see cref="MaxAttempts"/> times already and is failed with <c>worker_lost</c> instead.
    /// </summary>
    private async Task<string?> TakeOverAsync(FineTuningJobObject job, FineTuningClaim claim)
    {
        LogTakenOver(logger, job.Id, claim.PreviousHolder!, WorkerId);
        var expired = claim.PreviousExpiry is { } at ? $" at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "";
        var lost = $"The server that ran this job ({claim.PreviousHolder}) stopped without finishing it: its lease ran out{expired} and the server {WorkerId} took the job over";
        if (claim.Job.Attempts <= MaxAttempts)
        {
            return $"{lost}: it runs again from the beginning (attempt {claim.Job.Attempts} of {MaxAttempts}).";
        }

        await runner.FailAsync(job.Id, new FineTuningJobError("worker_lost",
            $"{lost}. The job was started {claim.Job.Attempts - 1} times and never finished (training cannot resume from a checkpoint, and a job " +
            "that stops its server each time is not started again): create it again, perhaps with smaller data or fewer epochs.", null)).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Puts a job that a stopped server gave back, or one whose server died, in <c>validating_files</c> again (its
    /// checkpoints hold metrics, not model state, so they go), or fails it when its files are gone.
    /// </summary>
    private async Task<FineTuningJobObject?> PrepareRerunAsync(FineTuningJobObject job, string reason, CancellationToken cancellationToken)
    {
        var missing = new[] { job.TrainingFile, job.ValidationFile }.FirstOrDefault(f => f is not null && !File.Exists(store.ContentPath(f)));
        if (missing is not null)
        {
            await runner.FailAsync(job.Id, new FineTuningJobError("file_not_found",
                $"The job's server stopped while it was {job.Status}, so it was to run again, but the file {missing} no longer exists: upload it again and create a new job.",
                missing == job.TrainingFile ? "training_file" : "validation_file")).ConfigureAwait(false);
            return null;
        }

        await store.ClearCheckpointsAsync(job.Id, cancellationToken).ConfigureAwait(false);
        var (rerun, changed) = await store.UpdateJobAsync(job.Id, j => FineTuningJobStatuses.IsTerminal(j.Status) ? null : j with { Status = FineTuningJobStatuses.ValidatingFiles }, cancellationToken).ConfigureAwait(false);
        if (!changed)
        {
            return null;
        }

        await store.AddEventAsync(job.Id, "info", reason, cancellationToken: cancellationToken).ConfigureAwait(false);
        return rerun;
    }

    /// <summary>Renews the lease until <paramref name="stop"/>; when it cannot (cancelled, taken over), stops the training.</summary>
    private async Task HeartbeatAsync(string jobId, CancellationTokenSource training, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.FineTuningHeartbeat, options.TimeProvider, stop).ConfigureAwait(false);
                bool held;
                try
                {
                    held = await store.Records.RenewLeaseAsync(jobId, WorkerId, options.FineTuningLease, stop).ConfigureAwait(false);
                }
                catch (Parley.Core.Conversations.ConversationStoreException e)
                {
                    // Unreachable for a moment: the lease still runs; the next beat tries again.
                    LogRenewFailed(logger, e, jobId);
                    continue;
                }

                if (!held)
                {
                    LogLeaseLost(logger, jobId, WorkerId);
                    await training.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task ReleaseAsync(string jobId)
    {
        try
        {
            await store.Records.ReleaseLeaseAsync(jobId, WorkerId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Parley.Core.Conversations.ConversationStoreException e)
        {
            // The lease runs out by itself; the job is then taken over.
            LogRenewFailed(logger, e, jobId);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Fine-tuning job {JobId} runs on worker {Worker}")]
    private static partial void LogRunning(ILogger logger, string jobId, string worker);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Fine-tuning job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Fine-tuning job {JobId}: the lease of worker {Previous} ran out; worker {Worker} took the job over")]
    private static partial void LogTakenOver(ILogger logger, string jobId, string previous, string worker);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Fine-tuning job {JobId}: worker {Worker} no longer holds its lease (cancelled or taken over); training stops")]
    private static partial void LogLeaseLost(ILogger logger, string jobId, string worker);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "Could not claim a fine-tuning job; trying again at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "Fine-tuning job {JobId}: could not renew or release its lease")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string jobId);
}
