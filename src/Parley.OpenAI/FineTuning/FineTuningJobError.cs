using System.Text.Json.Nodes;

namespace Parley.OpenAI.FineTuning;

/// <summary>Why a fine-tuning job failed: OpenAI's <c>error</c> object.</summary>
/// <param name="Code">A machine-readable code, e.g. "invalid_training_file".</param>
/// <param name="Message">What went wrong, for people.</param>
/// <param name="Param">The request parameter at fault, if any.</param>
public sealed record FineTuningJobError(string? Code, string Message, string? Param)
{
    /// <summary>The error as OpenAI writes it: <c>{"code","message","param"}</c>.</summary>
    public JsonObject ToJson() => new() { ["code"] = Code, ["message"] = Message, ["param"] = Param };
}
