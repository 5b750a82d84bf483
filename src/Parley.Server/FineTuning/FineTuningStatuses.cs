namespace Parley.Server.FineTuning;

/// <summary>The statuses of a fine-tuning job, as OpenAI names them.</summary>
public static class FineTuningStatuses
{
    /// <summary>The job's files are being checked.</summary>
    public const string ValidatingFiles = "validating_files";

    /// <summary>Waiting for a training slot.</summary>
    public const string Queued = "queued";

    /// <summary>Training.</summary>
    public const string Running = "running";

    /// <summary>Done: <c>fine_tuned_model</c> is set.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Stopped by an error: <c>error</c> says why.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped by a cancel request.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Whether a job in <paramref name="status"/> will not change any more.</summary>
    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled;
}
