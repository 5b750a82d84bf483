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

    /// <summary>The encoder: <see cref="SentenceEncoderModel.MiniLm"/> (the default) or <see cref="SentenceEncoderModel.ArcticXs"/>.</summary>
    public SentenceEncoderModel Model { get; init; } = SentenceEncoderModel.MiniLm;

    /// <summary>
    /// Texts per inference. Texts are sorted by length before they are batched, so a batch is padded only to its
    /// longest member. Default 32.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The most tokens per text, [CLS] and [SEP] included; longer texts are cut. Default 256 (all-MiniLM-L6-v2's max_seq_length), at most 512.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>
    /// A folder where the model is kept as a file, e.g. <c>&lt;data folder&gt;/cache</c>. When set, the model embedded in
    /// the package is copied there once (atomically; the name carries its size and package version) and ONNX Runtime
    /// loads that file, so the process holds the weights once — in the session — rather than also as a 91 MB managed
    /// array and as the package's resident resource pages (about 180 MB less resident memory for a server). A folder
    /// that cannot be written falls back to loading from the package. Default null: load from the package.
    /// </summary>
    public string? ModelCacheDirectory { get; init; }

    /// <summary>
    /// An ONNX model file with all-MiniLM-L6-v2's graph to run instead of the package's model — an encoder fine-tuned by
    /// Parley.Nlu.Torch, which an intent model folder keeps beside its head. <see cref="ModelCacheDirectory"/> is then
    /// not used. Default null: the package's model.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// Whether ONNX Runtime keeps a memory arena for inference buffers. Default true: without it batched encoding was
    /// about 10% slower (866 against 962 sentences/s) and an idle server no smaller (docs/BENCHMARKS.md); the arena does
    /// keep its peak (a batch of long texts) for the life of the process, so turn it off for a process that encodes one
    /// large corpus and then stays up.
    /// </summary>
    public bool UseMemoryArena { get; init; } = true;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 2, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTokens, 512, nameof(MaxTokens));
    }
}
