namespace Parley.OpenAI.FineTuning;

/// <summary>The statuses of an OpenAI fine-tuning job, as they appear on the wire.</summary>
public static class FineTuningJobStatuses
{
    /// <summary>The training files are being checked.</summary>
    public const string ValidatingFiles = "validating_files";

    /// <summary>Waiting for a trainer.</summary>
    public const string Queued = "queued";

    /// <summary>Training.</summary>
    public const string Running = "running";

    /// <summary>Done; the job's <c>fine_tuned_model</c> is ready.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Stopped by an error; the job's <c>error</c> says why.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped on request.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Whether a job in <paramref name="status"/> will not change any more.</summary>
    public static bool IsTerminal(string? status) => status is Succeeded or Failed or Cancelled;
}
