namespace Parley.Nlu.Embeddings;

/// <summary>Options of an <see cref="OnnxSentenceEncoder"/>.</summary>
public sealed class EncoderOptions
{
    /// <summary>
    /// Threads ONNX Runtime may use inside one inference (IntraOpNumThreads); 0 uses every logical processor. Default 0.
    /// </summary>
    /// <remarks>
    /// ONNX Runtime's own default is one thread per physical core, which on a 2-vCPU VM that reports one core with two
    /// hyper-threads means one thread: measured there, 2 threads gave 971 sentences/s and a 1.97 ms median for one
    /// sentence, against 662/s and 3.00 ms (docs/BENCHMARKS.md).
    /// </remarks>
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
