namespace Parley.OpenAI.FineTuning;

/// <summary>What a new supervised fine-tuning job trains: files, base model and hyperparameters (null = "auto").</summary>
public sealed class FineTuningJobRequest
{
    /// <summary>The uploaded training file id. Required.</summary>
    public required string TrainingFileId { get; init; }

    /// <summary>The base model, e.g. "gpt-4o-mini-2024-07-18" or, on a Parley server, "all-MiniLM-L6-v2". Required.</summary>
    public required string Model { get; init; }

    /// <summary>The uploaded validation file id, if any.</summary>
    public string? ValidationFileId { get; init; }

    /// <summary>Up to 64 characters added to the fine-tuned model's name.</summary>
    public string? Suffix { get; init; }

    /// <summary>Epochs; <see langword="null"/> lets the server choose ("auto").</summary>
    public int? Epochs { get; init; }

    /// <summary>Batch size; <see langword="null"/> lets the server choose ("auto").</summary>
    public int? BatchSize { get; init; }

    /// <summary>Learning-rate multiplier; <see langword="null"/> lets the server choose ("auto").</summary>
    public double? LearningRateMultiplier { get; init; }

    /// <summary>The seed, for a reproducible job; <see langword="null"/> lets the server pick one.</summary>
    public int? Seed { get; init; }

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first wrong one.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TrainingFileId))
        {
            throw new ArgumentException("The training file id is missing.", nameof(TrainingFileId));
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("The base model is missing.", nameof(Model));
        }

        if (Suffix is { Length: > 64 })
        {
            throw new ArgumentException($"The suffix may have at most 64 characters; '{Suffix}' has {Suffix.Length}.", nameof(Suffix));
        }

        if (Epochs is < 1 || BatchSize is < 1)
        {
            throw new ArgumentException("Epochs and batch size must be at least 1 (or auto).", Epochs is < 1 ? nameof(Epochs) : nameof(BatchSize));
        }

        if (LearningRateMultiplier is { } lr && (!double.IsFinite(lr) || lr <= 0))
        {
            throw new ArgumentException($"The learning-rate multiplier must be greater than zero (or auto); it is {lr}.", nameof(LearningRateMultiplier));
        }
    }
}
