namespace Parley.Nlu.Features;

/// <summary>
/// What features an intent model uses; serialized into the model artifact so the same featurizer is rebuilt at
/// prediction time.
/// </summary>
public sealed record FeaturizerSettings
{
    /// <summary>Sentence embeddings from all-MiniLM-L6-v2.</summary>
    public const string Embeddings = "embeddings";

    /// <summary>Hashed character n-grams: language-independent (Chinese and other scripts the encoder does not cover).</summary>
    public const string CharNGrams = "char-ngrams";

    /// <summary>Both, each L2-normalised and weighted, concatenated.</summary>
    public const string Combined = "combined";

    /// <summary>
    /// Chosen from the data before training (<see cref="FeatureSelection.Resolve"/>): <see cref="Embeddings"/> for text
    /// mostly in Latin letters, else <see cref="CharNGrams"/>. A trained model never stores this kind.
    /// </summary>
    public const string Auto = "auto";

    /// <summary>One of <see cref="Embeddings"/>, <see cref="CharNGrams"/>, <see cref="Combined"/>. Default <see cref="Embeddings"/>.</summary>
    public string Kind { get; init; } = Embeddings;

    /// <summary>The sentence-embedding model id. Default all-MiniLM-L6-v2.</summary>
    public string EmbeddingModel { get; init; } = "all-MiniLM-L6-v2";

    /// <summary>The smallest character n-gram. Default 2.</summary>
    public int NGramMin { get; init; } = 2;

    /// <summary>The largest character n-gram. Default 4.</summary>
    public int NGramMax { get; init; } = 4;

    /// <summary>
    /// The number of hash buckets for n-grams, as a power of two. Default 12 (4,096 buckets): vectors are dense, so
    /// 2^14 made CLINC150's 18,000 training texts take over 1 GB and the head 16k inputs wide.
    /// </summary>
    public int HashBits { get; init; } = 12;

    /// <summary>
    /// A fine-tuned encoder (an ONNX model of all-MiniLM-L6-v2's graph, from Parley.Nlu.Torch) that computes the
    /// embeddings instead of the package's model: an absolute path while training, the file's name inside the model
    /// folder once saved. Default null: the package's model.
    /// </summary>
    public string? EncoderFile { get; init; }

    /// <summary>The weight of the n-gram block in <see cref="Combined"/> features (embeddings weigh 1). Default 0.5.</summary>
    public float NGramWeight { get; init; } = 0.5f;
}
