using Parley.Nlu.Models;
using Parley.Nlu.Torch.Training;

namespace Parley.Nlu.Torch;

/// <summary>An intent model whose features come from a fine-tuned encoder, with the record of the fine-tuning.</summary>
public sealed class FineTunedIntentModel : IDisposable
{
    /// <summary>The intent model: a head on the embeddings of the exported encoder, run by ONNX Runtime.</summary>
    public required IntentModel Model { get; init; }

    /// <summary>The fine-tuning run; disposed with this object.</summary>
    public required EncoderTrainingResult Training { get; init; }

    /// <summary>The exported encoder (ONNX), which <see cref="IntentModel.SaveAsync"/> copies into the model folder.</summary>
    public required string EncoderFile { get; init; }

    /// <summary>The LoRA adapters on their own (<see cref="TorchSentenceEncoder.SaveAdapters"/>), or null for other methods.</summary>
    public string? AdapterFile { get; init; }

    /// <inheritdoc />
    public void Dispose() => Training.Dispose();
}
