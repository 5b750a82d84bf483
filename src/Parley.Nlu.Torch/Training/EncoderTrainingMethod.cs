namespace Parley.Nlu.Torch.Training;

/// <summary>How the encoder is fine-tuned before the intent head is trained on its embeddings.</summary>
public enum EncoderTrainingMethod
{
    /// <summary>The encoder's weights (the word-embedding table only with <see cref="EncoderTrainerOptions.TrainWordEmbeddings"/>) and a softmax head, with cross-entropy on the intents.</summary>
    Full,

    /// <summary>Low-rank adapters on chosen linear layers and a softmax head; the encoder's own weights stay frozen.</summary>
    Lora,

    /// <summary>SetFit-style: pairs of utterances from the labels, cosine-similarity loss on the encoder (no head).</summary>
    Contrastive,
}
