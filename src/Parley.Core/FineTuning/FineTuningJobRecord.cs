namespace Parley.Core.FineTuning;

/// <summary>
/// The record of a fine-tuning job: the job as the API shows it (<see cref="Data"/>), its status and owner as columns
/// the store filters on, and its place in the queue (the lease of the worker that runs it).
/// </summary>
public sealed record FineTuningJobRecord
{
    /// <summary>The statuses of a job that has not finished: a worker may claim it (<see cref="IFineTuningStore.ClaimNextJobAsync"/>).</summary>
    public static IReadOnlyList<string> ActiveStatuses { get; } = ["validating_files", "queued", "running"];

    /// <summary>The job id.</summary>
    public required string Id { get; init; }

    /// <summary>The API key's owner id that created it (<c>key_…</c>), or null when the server was open.</summary>
    public string? Owner { get; init; }

    /// <summary>Its status; one of <see cref="ActiveStatuses"/> until it ends (<c>succeeded</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    public required string Status { get; init; }

    /// <summary>When it was created, in Unix seconds.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>The job as the API shows it (a JSON object), kept as written.</summary>
    public required string Data { get; init; }

    /// <summary>Its place in creation order, given by the store (jobs created in one second keep their order); ignored when creating.</summary>
    public long Sequence { get; init; }

    /// <summary>The worker that holds the job's lease (it runs the job), or null; set by the queue operations only.</summary>
    public string? LeaseHolder { get; init; }

    /// <summary>When the lease runs out unless renewed, or null; set by the queue operations only.</summary>
    public DateTimeOffset? LeaseExpires { get; init; }

    /// <summary>
    /// How many times a worker claimed the job, not counting claims that ended with the job given back while still
    /// active (a server that stopped cleanly, <see cref="IFineTuningStore.ReleaseLeaseAsync"/>); set by the queue
    /// operations only.
    /// </summary>
    public int Attempts { get; init; }

    /// <summary>Whether <paramref name="status"/> is one of <see cref="ActiveStatuses"/>.</summary>
    public static bool IsActive(string status) => ActiveStatuses.Contains(status, StringComparer.Ordinal);
}
