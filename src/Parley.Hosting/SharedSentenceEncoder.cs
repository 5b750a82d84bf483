using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;

namespace Parley.Hosting;

/// <summary>
/// The one in-process sentence encoder (all-MiniLM-L6-v2) of this process. Loading its model takes ~0.3 s of CPU and
/// a hundred megabytes, and inference is thread-safe, so every bot, the embeddings API and fine-tuning share it.
/// </summary>
/// <remarks>
/// The model itself is loaded on the first text to encode (or by <see cref="MiniLmEmbeddingGenerator.StartLoading"/>),
/// not when the encoder is created.
/// </remarks>
public static class SharedSentenceEncoder
{
    private static Lazy<MiniLmEmbeddingGenerator>? _encoder;
    private static int _created;

    /// <summary>How many encoders this process has created: 0 or 1.</summary>
    public static int InstancesCreated => Volatile.Read(ref _created);

    /// <summary>Whether the encoder's model has been asked for (created, whether or not it has encoded yet).</summary>
    public static bool IsCreated => _encoder?.IsValueCreated == true;

    /// <summary>
    /// The process's encoder. The first caller decides where the model file is kept (<paramref name="modelCacheFolder"/>);
    /// later callers get the same encoder. Do not dispose it.
    /// </summary>
    /// <param name="modelCacheFolder">The folder the encoder may keep its model file in (a data folder's cache).</param>
    public static MiniLmEmbeddingGenerator Get(string modelCacheFolder)
    {
        Interlocked.CompareExchange(
            ref _encoder,
            new Lazy<MiniLmEmbeddingGenerator>(() =>
            {
                Interlocked.Increment(ref _created);
                return new MiniLmEmbeddingGenerator(new EncoderOptions { ModelCacheDirectory = modelCacheFolder });
            }),
            null);
        return _encoder.Value;
    }

    /// <summary>
    /// The process's encoder behind the on-disk embedding cache of <paramref name="data"/> (<see cref="ParleyDataFolder.Cache"/>).
    /// Disposing the result closes the cache, never the shared encoder.
    /// </summary>
    /// <param name="data">The data folder whose cache to use.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateCached(ParleyDataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EmbeddingGeneratorBuilder<string, Embedding<float>>(new NonDisposingEmbeddingGenerator(Get(data.Cache)))
            .UseDiskCache(data.Cache)
            .Build();
    }

    /// <summary>
    /// A new encoder of <paramref name="model"/> (a pack's <c>knowledge_encoder</c> other than the shared one), its model
    /// file kept in the data folder's cache, behind the on-disk embedding cache. Disposing the result disposes the encoder.
    /// </summary>
    /// <param name="data">The data folder whose cache to use.</param>
    /// <param name="model">The encoder's model.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateCached(ParleyDataFolder data, SentenceEncoderModel model)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        return new EmbeddingGeneratorBuilder<string, Embedding<float>>(new MiniLmEmbeddingGenerator(new EncoderOptions { Model = model, ModelCacheDirectory = data.Cache }))
            .UseDiskCache(data.Cache)
            .Build();
    }
}
