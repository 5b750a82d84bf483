namespace Parley.Testing;

/// <summary>
/// One stage a job of <see cref="FineTuningTestApi"/> goes through: its status and the events it adds. A job starts at
/// the first stage and moves one stage on with every <c>GET /v1/fine_tuning/jobs/{id}</c>, staying at the last.
/// </summary>
/// <param name="Status">The job's status in this stage, e.g. "running".</param>
/// <param name="Events">The messages of the events the stage adds (level "info", or "error" in a failed stage).</param>
/// <param name="ErrorMessage">The job's <c>error.message</c> (for a "failed" stage).</param>
public sealed record FineTuningTestStage(string Status, IReadOnlyList<string> Events, string? ErrorMessage = null)
{
    /// <summary>validating_files → queued → running (two steps) → succeeded.</summary>
    public static IReadOnlyList<FineTuningTestStage> Succeeding() =>
    [
        new("validating_files", ["Validating training file"]),
        new("queued", ["Files validated, moving job to queued state"]),
        new("running", ["Fine-tuning job started", "Step 1/2: training loss=0.90"]),
        new("running", ["Step 2/2: training loss=0.20"]),
        new("succeeded", ["New fine-tuned model created", "The job has successfully completed"]),
    ];

    /// <summary>validating_files → failed with <paramref name="message"/>.</summary>
    public static IReadOnlyList<FineTuningTestStage> Failing(string message) =>
    [
        new("validating_files", ["Validating training file"]),
        new("failed", [message], message),
    ];

    /// <summary>validating_files → running, for ever (until cancelled).</summary>
    public static IReadOnlyList<FineTuningTestStage> Running() =>
    [
        new("validating_files", ["Validating training file"]),
        new("running", ["Fine-tuning job started"]),
    ];
}
