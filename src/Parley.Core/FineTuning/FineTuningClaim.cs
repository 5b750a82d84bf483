namespace Parley.Core.FineTuning;

/// <summary>A job a worker claimed from the queue, with whose lease it was under before.</summary>
/// <param name="Job">The job, leased to the worker that claimed it.</param>
/// <param name="PreviousHolder">
/// The worker whose lease had run out (it stopped renewing it: its process died or hangs), or null when the job was
/// free (new, or released by a server that stopped cleanly).
/// </param>
/// <param name="PreviousExpiry">When that lease ran out, or null.</param>
public sealed record FineTuningClaim(FineTuningJobRecord Job, string? PreviousHolder, DateTimeOffset? PreviousExpiry);
