using System.Text.Json.Serialization;

namespace Parley.Server.FineTuning;

/// <summary>Why a fine-tuning job failed: OpenAI's <c>error</c> of a job.</summary>
/// <param name="Code">A machine-readable code, e.g. <c>invalid_training_file</c>.</param>
/// <param name="Message">What went wrong, naming the file and line for bad data.</param>
/// <param name="Param">The request field at fault (<c>training_file</c>, <c>validation_file</c>), or null.</param>
public sealed record FineTuningJobError(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param);
