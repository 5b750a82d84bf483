namespace Parley.Nlu.Embeddings;

/// <summary>Options of an <see cref="OnnxSentenceEncoder"/>.</summary>
public sealed class EncoderOptions
{
    /// <summary>Threads ONNX Runtime may use inside one inference (IntraOpNumThreads); 0 lets it decide (one per physical core). Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Texts per inference. Texts are sorted by length before they are batched, so a batch is padded only to its
    /// longest member. Default 32.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The most tokens per text, [CLS] and [SEP] included; longer texts are cut. Default 256 (all-MiniLM-L6-v2's max_seq_length), at most 512.</summary>
    public int MaxTokens { get; init; } = 256;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 2, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTokens, 512, nameof(MaxTokens));
    }
}
