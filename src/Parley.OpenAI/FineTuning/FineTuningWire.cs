using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.OpenAI.FineTuning;

/// <summary>Reads OpenAI's fine-tuning objects from response JSON, leniently: unknown fields are ignored, missing ones are null.</summary>
internal static class FineTuningWire
{
    public static JsonObject Parse(BinaryData content, string what)
    {
        try
        {
            return JsonNode.Parse(content.ToMemory().Span) as JsonObject
                ?? throw new FineTuningException($"the endpoint answered the {what} request with JSON that is not an object");
        }
        catch (JsonException e)
        {
            throw new FineTuningException($"the endpoint answered the {what} request with something that is not JSON: {e.Message}", innerException: e);
        }
    }

    public static FineTuningJobInfo Job(JsonObject json)
    {
        var hyperparameters = json["hyperparameters"] as JsonObject
            ?? json["method"]?["supervised"]?["hyperparameters"] as JsonObject;
        return new FineTuningJobInfo
        {
            Id = String(json, "id") ?? throw new FineTuningException("the endpoint returned a fine-tuning job without an id"),
            Model = String(json, "model"),
            Status = String(json, "status") ?? "unknown",
            FineTunedModel = String(json, "fine_tuned_model"),
            CreatedAt = Time(json, "created_at"),
            FinishedAt = Time(json, "finished_at"),
            TrainingFile = String(json, "training_file"),
            ValidationFile = String(json, "validation_file"),
            Epochs = hyperparameters?["n_epochs"]?.DeepClone(),
            BatchSize = hyperparameters?["batch_size"]?.DeepClone(),
            LearningRateMultiplier = hyperparameters?["learning_rate_multiplier"]?.DeepClone(),
            TrainedTokens = Long(json, "trained_tokens"),
            Seed = Long(json, "seed"),
            Error = json["error"] is JsonObject error && String(error, "message") is { Length: > 0 } message
                ? new FineTuningJobError(String(error, "code"), message, String(error, "param"))
                : null,
        };
    }

    public static FineTuningEventInfo Event(JsonObject json) => new(
        String(json, "id") ?? throw new FineTuningException("the endpoint returned a fine-tuning event without an id"),
        Time(json, "created_at"),
        String(json, "level") ?? "info",
        String(json, "message") ?? string.Empty,
        String(json, "type"),
        json["data"]?.DeepClone());

    public static FineTuningFileInfo File(JsonObject json) => new(
        String(json, "id") ?? throw new FineTuningException("the endpoint returned an uploaded file without an id"),
        String(json, "filename"),
        Long(json, "bytes"),
        String(json, "purpose"),
        Time(json, "created_at"));

    public static FineTuningPage<T> Page<T>(JsonObject json, Func<JsonObject, T> item) => new(
        [.. (json["data"] as JsonArray ?? []).OfType<JsonObject>().Select(item)],
        json["has_more"] is JsonValue more && more.TryGetValue<bool>(out var hasMore) && hasMore);

    private static string? String(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Long(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number
        : json[name] is JsonValue real && real.TryGetValue<double>(out var d) && double.IsFinite(d) ? (long)d
        : null;

    private static DateTimeOffset? Time(JsonObject json, string name) =>
        Long(json, name) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
