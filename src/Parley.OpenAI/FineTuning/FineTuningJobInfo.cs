using System.Text.Json.Nodes;

namespace Parley.OpenAI.FineTuning;

/// <summary>A fine-tuning job as the endpoint reported it: the fields of OpenAI's <c>fine_tuning.job</c> object.</summary>
public sealed record FineTuningJobInfo
{
    /// <summary>The job id, e.g. "ftjob-abc123".</summary>
    public required string Id { get; init; }

    /// <summary>The base model being fine-tuned.</summary>
    public string? Model { get; init; }

    /// <summary>The status (see <see cref="FineTuningJobStatuses"/>).</summary>
    public required string Status { get; init; }

    /// <summary>The resulting model id once the job has succeeded, e.g. "ft:all-MiniLM-L6-v2:shop:ftjob-abc123".</summary>
    public string? FineTunedModel { get; init; }

    /// <summary>When the job was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the job finished, if it has.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The training file id.</summary>
    public string? TrainingFile { get; init; }

    /// <summary>The validation file id, if any.</summary>
    public string? ValidationFile { get; init; }

    /// <summary>The epochs: a number, "auto", or <see langword="null"/> when not reported.</summary>
    public JsonNode? Epochs { get; init; }

    /// <summary>The batch size: a number, "auto", or <see langword="null"/> when not reported.</summary>
    public JsonNode? BatchSize { get; init; }

    /// <summary>The learning-rate multiplier: a number, "auto", or <see langword="null"/> when not reported.</summary>
    public JsonNode? LearningRateMultiplier { get; init; }

    /// <summary>The tokens trained on, once known.</summary>
    public long? TrainedTokens { get; init; }

    /// <summary>The seed of the job.</summary>
    public long? Seed { get; init; }

    /// <summary>Why the job failed, when it has.</summary>
    public FineTuningJobError? Error { get; init; }

    /// <summary>Whether the job will not change any more (succeeded, failed or cancelled).</summary>
    public bool IsTerminal => FineTuningJobStatuses.IsTerminal(Status);

    /// <summary>The job in OpenAI's snake_case shape, with a fixed set of fields (null where unknown).</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["object"] = "fine_tuning.job",
        ["model"] = Model,
        ["status"] = Status,
        ["fine_tuned_model"] = FineTunedModel,
        ["created_at"] = CreatedAt?.ToUnixTimeSeconds(),
        ["finished_at"] = FinishedAt?.ToUnixTimeSeconds(),
        ["training_file"] = TrainingFile,
        ["validation_file"] = ValidationFile,
        ["hyperparameters"] = new JsonObject
        {
            ["n_epochs"] = Epochs?.DeepClone(),
            ["batch_size"] = BatchSize?.DeepClone(),
            ["learning_rate_multiplier"] = LearningRateMultiplier?.DeepClone(),
        },
        ["trained_tokens"] = TrainedTokens,
        ["seed"] = Seed,
        ["error"] = Error?.ToJson(),
    };
}
