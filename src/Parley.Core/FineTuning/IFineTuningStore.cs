namespace Parley.Core.FineTuning;

/// <summary>
/// The records of the self-hosted fine-tuning API — uploaded files' metadata, jobs, their events and checkpoints —
/// and the job queue the servers sharing the store take work from. A job is claimed under a lease: the worker renews
/// it while the job runs, and a job whose lease ran out is free to claim again (its worker died). Times come from
/// the store's clock.
/// </summary>
public interface IFineTuningStore
{
    /// <summary>Records an uploaded file.</summary>
    /// <exception cref="Conversations.ConversationStoreException">A file with that id exists, or the store failed.</exception>
    Task AddFileAsync(FineTuningFileRecord file, CancellationToken cancellationToken = default);

    /// <summary>Loads a file's record, or null when there is none with that id.</summary>
    Task<FineTuningFileRecord?> GetFileAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists files, newest first.</summary>
    /// <param name="owner">Only this owner's files, or every file when null.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    Task<IReadOnlyList<FineTuningFileRecord>> ListFilesAsync(string? owner, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file's record; false when there was none.</summary>
    Task<bool> DeleteFileAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Records a new job; it is free for a worker to claim while its status is active.</summary>
    /// <returns>The job as stored, with its <see cref="FineTuningJobRecord.Sequence"/>.</returns>
    Task<FineTuningJobRecord> CreateJobAsync(FineTuningJobRecord job, CancellationToken cancellationToken = default);

    /// <summary>Loads a job, or null when there is none with that id.</summary>
    Task<FineTuningJobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists jobs, newest first.</summary>
    /// <param name="owner">Only this owner's jobs, or every job when null.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    Task<IReadOnlyList<FineTuningJobRecord>> ListJobsAsync(string? owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a job's status and data atomically (no other change to it can come in between, from any server):
    /// <paramref name="change"/> gets the job as stored and returns it changed, or null to leave it. A job that ends
    /// (its status no longer active) loses its lease, so the worker running it learns at its next renewal.
    /// </summary>
    /// <returns>The job afterwards (null when there is none) and whether it changed.</returns>
    Task<(FineTuningJobRecord? Job, bool Changed)> UpdateJobAsync(string id, Func<FineTuningJobRecord, FineTuningJobRecord?> change, CancellationToken cancellationToken = default);

    /// <summary>Appends an event to a job.</summary>
    Task AddEventAsync(FineTuningJobItem item, CancellationToken cancellationToken = default);

    /// <summary>A job's events, newest first.</summary>
    Task<IReadOnlyList<FineTuningJobItem>> ListEventsAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Appends a checkpoint to a job.</summary>
    Task AddCheckpointAsync(FineTuningJobItem item, CancellationToken cancellationToken = default);

    /// <summary>A job's checkpoints, newest first.</summary>
    Task<IReadOnlyList<FineTuningJobItem>> ListCheckpointsAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Forgets a job's checkpoints (it runs again from the beginning).</summary>
    Task ClearCheckpointsAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the oldest active job that no live lease holds — free, or under a lease that ran out — for
    /// <paramref name="worker"/> until now + <paramref name="lease"/>. Two workers never get the same job while its
    /// lease runs; on PostgreSQL busy rows are skipped (<c>FOR UPDATE SKIP LOCKED</c>), so servers do not wait on each other.
    /// </summary>
    /// <returns>The claim, or null when no job is waiting.</returns>
    Task<FineTuningClaim?> ClaimNextJobAsync(string worker, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Extends <paramref name="worker"/>'s lease on a job to now + <paramref name="lease"/>.</summary>
    /// <returns>False when the worker no longer holds it: the job ended (was cancelled) or another worker took it over.</returns>
    Task<bool> RenewLeaseAsync(string jobId, string worker, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives up <paramref name="worker"/>'s lease on a job (it ended, or the server stops), so any worker may claim it at
    /// once. A job given back while still active does not count the claim in <see cref="FineTuningJobRecord.Attempts"/>:
    /// a clean stop is not a failed start.
    /// </summary>
    Task ReleaseLeaseAsync(string jobId, string worker, CancellationToken cancellationToken = default);
}
