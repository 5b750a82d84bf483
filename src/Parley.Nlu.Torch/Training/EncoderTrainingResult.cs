using Parley.Nlu.Intents;

namespace Parley.Nlu.Torch.Training;

/// <summary>What <see cref="EncoderTrainer.Train"/> produced: the fine-tuned encoder (with the best epoch's weights) and the run's record.</summary>
public sealed class EncoderTrainingResult : IDisposable
{
    /// <summary>The fine-tuned encoder; LoRA adapters are still separate (export merges them). The result owns it.</summary>
    public required TorchSentenceEncoder Encoder { get; init; }

    /// <summary>The options used.</summary>
    public required EncoderTrainerOptions Options { get; init; }

    /// <summary>Per-epoch metrics.</summary>
    public required IReadOnlyList<EncoderEpoch> History { get; init; }

    /// <summary>The epoch (from 1) whose weights were kept; the last epoch when there was no validation data.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Steps done in the whole run (a resumed run counts the steps before it).</summary>
    public required int Steps { get; init; }

    /// <summary>The step the run resumed after; 0 when it started afresh.</summary>
    public required int ResumedAtStep { get; init; }

    /// <summary>The number of weights that were trained (adapters and head for LoRA; encoder and head for full; encoder for contrastive).</summary>
    public required long TrainableParameters { get; init; }

    /// <summary>The number of weights of the encoder (adapters included) and head.</summary>
    public required long TotalParameters { get; init; }

    /// <summary>The training utterances used (after any validation holdout).</summary>
    public required IReadOnlyList<LabeledExample> Training { get; init; }

    /// <summary>The validation utterances used for early stopping (given, or held out), possibly empty.</summary>
    public required IReadOnlyList<LabeledExample> Validation { get; init; }

    /// <inheritdoc />
    public void Dispose() => Encoder.Dispose();
}
