using System.Text.Json.Nodes;

namespace Parley.OpenAI.FineTuning;

/// <summary>One event of a fine-tuning job: OpenAI's <c>fine_tuning.job.event</c> object.</summary>
/// <param name="Id">The event id.</param>
/// <param name="CreatedAt">When it happened.</param>
/// <param name="Level">"info", "warn" or "error".</param>
/// <param name="Message">What happened.</param>
/// <param name="Type">"message" or "metrics", when reported.</param>
/// <param name="Data">The metrics or other data of the event, when reported.</param>
public sealed record FineTuningEventInfo(string Id, DateTimeOffset? CreatedAt, string Level, string Message, string? Type, JsonNode? Data)
{
    /// <summary>The event in OpenAI's snake_case shape.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["object"] = "fine_tuning.job.event",
        ["created_at"] = CreatedAt?.ToUnixTimeSeconds(),
        ["level"] = Level,
        ["message"] = Message,
        ["type"] = Type,
        ["data"] = Data?.DeepClone(),
    };
}
