using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Parley.OpenAI.FineTuning;

namespace Parley.Server.FineTuning;

/// <summary>A fine-tuning job, as OpenAI's <c>fine_tuning.job</c> object.</summary>
public sealed record FineTuningJobObject
{
    /// <summary>Always <c>fine_tuning.job</c>.</summary>
    public string Object => "fine_tuning.job";

    /// <summary>The job id: <c>ftjob-</c> and 24 letters and digits.</summary>
    public required string Id { get; init; }

    /// <summary>When it was created, in Unix seconds.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>Why it failed; null unless <see cref="Status"/> is <c>failed</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public FineTuningJobError? Error { get; init; }

    /// <summary>The model it made (<c>ft:all-MiniLM-L6-v2:&lt;suffix&gt;:&lt;job id&gt;</c>); null until it succeeds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FineTunedModel { get; init; }

    /// <summary>When it finished, in Unix seconds; null while it runs.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? FinishedAt { get; init; }

    /// <summary><c>n_epochs</c>, <c>batch_size</c>, <c>learning_rate_multiplier</c>: as asked (<c>"auto"</c> or a number) until training starts, then the values used.</summary>
    public required JsonObject Hyperparameters { get; init; }

    /// <summary>The base model.</summary>
    public required string Model { get; init; }

    /// <summary>The organization: this server.</summary>
    public string OrganizationId => "org-parley";

    /// <summary>Result files: none (metrics are in the events and checkpoints).</summary>
    public IReadOnlyList<string> ResultFiles { get; init; } = [];

    /// <summary>One of <see cref="FineTuningJobStatuses"/>.</summary>
    public required string Status { get; init; }

    /// <summary>The tokens trained on (cl100k tokens of the training file × epochs run); null until it succeeds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? TrainedTokens { get; init; }

    /// <summary>The training file id.</summary>
    public required string TrainingFile { get; init; }

    /// <summary>The validation file id, or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ValidationFile { get; init; }

    /// <summary>The suffix asked for, or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? UserProvidedSuffix { get; init; }

    /// <summary>The seed used.</summary>
    public required int Seed { get; init; }

    /// <summary>Never estimated here.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? EstimatedFinish { get; init; }

    /// <summary>The training method: always supervised, with the same hyperparameters.</summary>
    public required JsonObject Method { get; init; }

    /// <summary>
    /// Parley's extension: <c>{"method": "auto|head|full|lora|contrastive"}</c>, what is trained (README, "Fine-tuning").
    /// As asked until training starts, then the method used and why (<c>method_reason</c>); null when not asked for on a job
    /// that has not started.
    /// </summary>
    public JsonObject? Parley { get; init; }

    /// <summary>The metadata given at creation, or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonObject? Metadata { get; init; }

    /// <summary>Integrations: none.</summary>
    public IReadOnlyList<JsonObject> Integrations { get; init; } = [];
}
