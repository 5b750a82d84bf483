using Parley.Nlu.Torch.Modeling;

namespace Parley.Nlu.Torch.Training;

/// <summary>Settings of <see cref="EncoderTrainer"/>. The defaults suit short intent utterances on a CPU.</summary>
public sealed class EncoderTrainerOptions
{
    /// <summary>The method. Default <see cref="EncoderTrainingMethod.Full"/>.</summary>
    public EncoderTrainingMethod Method { get; set; } = EncoderTrainingMethod.Full;

    /// <summary>The most epochs over the training data (over the pairs for <see cref="EncoderTrainingMethod.Contrastive"/>). Default 5.</summary>
    public int Epochs { get; set; } = 5;

    /// <summary>
    /// Epochs always trained before early stopping may stop (so that a validation split of one or two items per intent
    /// cannot end training after a noisy first epoch). Default 2.
    /// </summary>
    public int MinEpochs { get; set; } = 2;

    /// <summary>Stop after this many epochs without a better validation accuracy (ties: lower loss); the best epoch's weights are kept. Default 2; 0 never stops early.</summary>
    public int Patience { get; set; } = 2;

    /// <summary>Examples (or pairs) per step. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// AdamW's peak learning rate for the encoder's weights (<see cref="EncoderTrainingMethod.Full"/>,
    /// <see cref="EncoderTrainingMethod.Contrastive"/>). Default 5e-5 (BERT fine-tuning's usual range is 2e-5–5e-5).
    /// </summary>
    public double EncoderLearningRate { get; set; } = 5e-5;

    /// <summary>The peak learning rate of LoRA adapters. Default 1e-3 (adapters start at zero and are small).</summary>
    public double AdapterLearningRate { get; set; } = 1e-3;

    /// <summary>
    /// The peak learning rate of the softmax head. Default 1e-2: its inputs are unit-length embeddings, whose logits
    /// move slowly (the frozen-feature head trainer uses the same step).
    /// </summary>
    public double HeadLearningRate { get; set; } = 1e-2;

    /// <summary>AdamW's decoupled weight decay. Default 0.01.</summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>The share of all steps over which the learning rate rises linearly from 0 to its peak; then it decays linearly to 0. Default 0.1.</summary>
    public double WarmupFraction { get; set; } = 0.1;

    /// <summary>Gradients are scaled down when their global L2 norm passes this. Default 1.0.</summary>
    public double MaxGradientNorm { get; set; } = 1.0;

    /// <summary>Dropout in the encoder while training (BERT's 0.1). Default 0.1.</summary>
    public double Dropout { get; set; } = 0.1;

    /// <summary>
    /// Whether <see cref="EncoderTrainingMethod.Full"/> and <see cref="EncoderTrainingMethod.Contrastive"/> also train
    /// the word-embedding table (30,522 × 384, half of the encoder's weights). Default false: a fine-tuning set touches
    /// a few thousand of its rows, and updating the whole table every step cost a fifth of each step's time for no
    /// gain in validation accuracy on CLINC150 (docs/BENCHMARKS.md, "Word embeddings frozen").
    /// </summary>
    public bool TrainWordEmbeddings { get; set; }

    /// <summary>
    /// <see cref="EncoderTrainingMethod.Full"/> and <see cref="EncoderTrainingMethod.Contrastive"/>: how many of the
    /// encoder's six transformer layers, from the bottom, stay as they are, with all the embeddings below them. Each
    /// training utterance goes through the frozen layers once, before the first step (without dropout), and their output
    /// is kept in memory (length × 1.5 KB per utterance): steps run and back-propagate through the other layers only.
    /// Default 0: every layer trains.
    /// </summary>
    public int FrozenLayers { get; set; }

    /// <summary>The most tokens per utterance while training, [CLS] and [SEP] included. Default 64.</summary>
    public int MaxTokens { get; set; } = 64;

    /// <summary>The LoRA rank r. Default 8.</summary>
    public int LoraRank { get; set; } = 8;

    /// <summary>The LoRA scale α (the update is scaled by α/r). Default 16.</summary>
    public double LoraAlpha { get; set; } = 16;

    /// <summary>
    /// The layers that get adapters, by the end of their name: <c>query</c>, <c>key</c>, <c>value</c>,
    /// <c>attention.output.dense</c>, <c>intermediate.dense</c>, <c>output.dense</c>. Default query and value.
    /// </summary>
    public IReadOnlyList<string> LoraTargets { get; set; } = ["query", "value"];

    /// <summary>Contrastive pairs made per training utterance per epoch, half similar (same intent), half not. Default 10.</summary>
    public int PairsPerExample { get; set; } = 10;

    /// <summary>The seed of adapter initialisation, the head, batch order, pairs and dropout. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The share of the training data held out for early stopping when no validation data is given. Default 0.1.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Threads libtorch may use; 0 leaves its default (one per core). Default 0.</summary>
    public int Threads { get; set; }

    /// <summary>A folder for checkpoints (written after every epoch and every <see cref="CheckpointSteps"/> steps), from which <see cref="Resume"/> continues. Default null: none.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Steps between checkpoints inside an epoch. Default 100; 0 checkpoints at epoch ends only.</summary>
    public int CheckpointSteps { get; set; } = 100;

    /// <summary>Continue from the checkpoint in <see cref="CheckpointDirectory"/> (an error when there is none or it belongs to other data or settings). Default false: start afresh.</summary>
    public bool Resume { get; set; }

    /// <summary>A copy of these options.</summary>
    public EncoderTrainerOptions Copy() => (EncoderTrainerOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "Unknown method.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfNegative(MinEpochs, nameof(MinEpochs));
        ArgumentOutOfRangeException.ThrowIfNegative(Patience, nameof(Patience));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 4, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTokens, 512, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(LoraRank, 1, nameof(LoraRank));
        ArgumentOutOfRangeException.ThrowIfLessThan(PairsPerExample, 2, nameof(PairsPerExample));
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegative(CheckpointSteps, nameof(CheckpointSteps));
        if (FrozenLayers < 0 || FrozenLayers >= MiniLmShape.AllMiniLmL6V2.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(FrozenLayers), FrozenLayers, $"The encoder has {MiniLmShape.AllMiniLmL6V2.Layers} layers; freeze 0 to {MiniLmShape.AllMiniLmL6V2.Layers - 1} of them.");
        }

        if (FrozenLayers > 0 && Method == EncoderTrainingMethod.Lora)
        {
            throw new ArgumentOutOfRangeException(nameof(FrozenLayers), FrozenLayers, "LoRA leaves every layer's weights frozen already; freeze layers with full or contrastive.");
        }

        if (FrozenLayers > 0 && TrainWordEmbeddings)
        {
            throw new ArgumentOutOfRangeException(nameof(TrainWordEmbeddings), "The word embeddings lie below the frozen layers; they cannot train while layers are frozen.");
        }

        Positive(EncoderLearningRate, nameof(EncoderLearningRate));
        Positive(AdapterLearningRate, nameof(AdapterLearningRate));
        Positive(HeadLearningRate, nameof(HeadLearningRate));
        Positive(LoraAlpha, nameof(LoraAlpha));
        Positive(MaxGradientNorm, nameof(MaxGradientNorm));
        Fraction(WeightDecay, nameof(WeightDecay));
        Fraction(WarmupFraction, nameof(WarmupFraction));
        Fraction(Dropout, nameof(Dropout));
        Fraction(ValidationFraction, nameof(ValidationFraction));
        if (LoraTargets is null || LoraTargets.Count == 0 || LoraTargets.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentOutOfRangeException(nameof(LoraTargets), "Name at least one layer for the adapters (e.g. query, value).");
        }

        if (Resume && CheckpointDirectory is null)
        {
            throw new ArgumentOutOfRangeException(nameof(Resume), "Resuming needs a checkpoint folder.");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be a positive number.");
        }
    }

    private static void Fraction(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be in [0, 1).");
        }
    }
}
