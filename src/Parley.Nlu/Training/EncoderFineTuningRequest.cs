using Parley.Nlu.Intents;

namespace Parley.Nlu.Training;

/// <summary>What <see cref="IEncoderFineTuner.TrainAsync"/> trains, and how; unset values keep the fine-tuner's defaults.</summary>
public sealed class EncoderFineTuningRequest
{
    /// <summary>The method: <see cref="TrainingMethods.Full"/>, <see cref="TrainingMethods.Lora"/> or <see cref="TrainingMethods.Contrastive"/>.</summary>
    public required string Method { get; init; }

    /// <summary>The training utterances.</summary>
    public required IReadOnlyList<LabeledExample> Training { get; init; }

    /// <summary>Validation utterances for early stopping, or null to hold out part of the training data (the same part for encoder and head).</summary>
    public IReadOnlyList<LabeledExample>? Validation { get; init; }

    /// <summary>A folder of its own for the exported encoder and checkpoints; it must stay until the model is saved, then the caller removes it.</summary>
    public required string WorkFolder { get; init; }

    /// <summary>Exactly this many encoder epochs with early stopping off (the best epoch's weights are kept); null for the fine-tuner's default with early stopping.</summary>
    public int? Epochs { get; init; }

    /// <summary>Utterances (or contrastive pairs) per encoder step; null for the default.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Scales the fine-tuner's default learning rates (encoder, adapters and the head trained beside them); null for 1.</summary>
    public double? LearningRateMultiplier { get; init; }

    /// <summary>The seed of the holdout, initialisation, batch order and dropout. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Settings of the head trained on the fine-tuned encoder's embeddings; null for the defaults (with <see cref="Seed"/>).</summary>
    public TrainerOptions? HeadOptions { get; init; }

    /// <summary>Receives a report after every encoder step and at every epoch's end.</summary>
    public IProgress<EncoderTrainingProgress>? Progress { get; init; }

    /// <summary>Progress of the head's training.</summary>
    public IntentTrainingProgress? HeadProgress { get; init; }
}
