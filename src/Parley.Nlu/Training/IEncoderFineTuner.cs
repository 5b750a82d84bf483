namespace Parley.Nlu.Training;

/// <summary>
/// Fine-tunes the sentence encoder (all-MiniLM-L6-v2) on intent-labelled utterances and trains an intent head on the
/// fine-tuned encoder's embeddings: the <see cref="TrainingMethods.Full"/>, <see cref="TrainingMethods.Lora"/> and
/// <see cref="TrainingMethods.Contrastive"/> methods. Implemented on TorchSharp by <c>Parley.Nlu.Torch</c>; hosts that
/// offer encoder fine-tuning (the <c>parley</c> command) register it, so libraries that train intent models (bot packs,
/// the fine-tuning API) need not reference TorchSharp.
/// </summary>
public interface IEncoderFineTuner
{
    /// <summary>The most encoder epochs a request that leaves <see cref="EncoderFineTuningRequest.Epochs"/> unset trains (with early stopping).</summary>
    int DefaultEpochs { get; }

    /// <summary>The batch size of a request that leaves <see cref="EncoderFineTuningRequest.BatchSize"/> unset.</summary>
    int DefaultBatchSize { get; }

    /// <summary>Fine-tunes the encoder and trains the head.</summary>
    /// <param name="request">What to train, and how.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; training stops between steps.</param>
    /// <returns>The trained model (its encoder in <see cref="EncoderFineTuningRequest.WorkFolder"/> until the model is saved), with the run's record.</returns>
    /// <exception cref="EncoderFineTuningException">The data or settings cannot be fine-tuned on, or the native libraries did not load.</exception>
    Task<EncoderFineTuning> TrainAsync(EncoderFineTuningRequest request, CancellationToken cancellationToken = default);
}
