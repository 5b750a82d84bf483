using Parley.Nlu.Models;

namespace Parley.Nlu.Training;

/// <summary>What <see cref="IEncoderFineTuner.TrainAsync"/> made: the intent model on the fine-tuned encoder, and the settings and record of the run.</summary>
public sealed class EncoderFineTuning : IDisposable
{
    /// <summary>The intent model; its featurizer reads the exported encoder in the work folder, which <see cref="IntentModel.SaveAsync"/> copies into the model folder.</summary>
    public required IntentModel Model { get; init; }

    /// <summary>The method used (<see cref="TrainingMethods.Full"/>, <see cref="TrainingMethods.Lora"/> or <see cref="TrainingMethods.Contrastive"/>).</summary>
    public required string Method { get; init; }

    /// <summary>The most encoder epochs the run could train (the resolved epoch count).</summary>
    public required int Epochs { get; init; }

    /// <summary>The encoder's batch size.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The multiplier applied to the default learning rates.</summary>
    public required double LearningRateMultiplier { get; init; }

    /// <summary>The peak learning rate of the weights that were fine-tuned (the encoder's, or the LoRA adapters').</summary>
    public required double LearningRate { get; init; }

    /// <summary>Encoder epochs trained (early stopping may end before <see cref="Epochs"/>).</summary>
    public required int EpochsRun { get; init; }

    /// <summary>The epoch (from 1) whose encoder weights were kept.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Encoder steps done.</summary>
    public required int Steps { get; init; }

    /// <summary>Weights trained (adapters and head for LoRA; the encoder and head otherwise).</summary>
    public required long TrainableParameters { get; init; }

    /// <summary>Weights of the encoder (adapters included) and head.</summary>
    public required long TotalParameters { get; init; }

    /// <summary>What holds the fine-tuning run's native memory; disposed with this object.</summary>
    public IDisposable? Resources { get; init; }

    /// <inheritdoc />
    public void Dispose() => Resources?.Dispose();
}
