using System.Text.Json.Nodes;

namespace Parley.Server.FineTuning;

/// <summary>The state of a job after an epoch, as OpenAI's <c>fine_tuning.job.checkpoint</c>.</summary>
/// <param name="Id">The checkpoint id: <c>ftckpt-</c> and 24 letters and digits.</param>
/// <param name="CreatedAt">When, in Unix seconds.</param>
/// <param name="FineTunedModelCheckpoint">The checkpoint's name (<c>&lt;model&gt;:ckpt-step-N</c>); only the final model is served.</param>
/// <param name="StepNumber">The mini-batch steps done so far.</param>
/// <param name="Metrics"><c>step</c>, <c>train_loss</c>, and with validation data <c>valid_loss</c>, <c>valid_mean_token_accuracy</c>, <c>full_valid_loss</c>, <c>full_valid_mean_token_accuracy</c>.</param>
/// <param name="FineTuningJobId">The job.</param>
public sealed record FineTuningCheckpointObject(string Id, long CreatedAt, string FineTunedModelCheckpoint, int StepNumber, JsonObject Metrics, string FineTuningJobId)
{
    /// <summary>Always <c>fine_tuning.job.checkpoint</c>.</summary>
    public string Object => "fine_tuning.job.checkpoint";
}
