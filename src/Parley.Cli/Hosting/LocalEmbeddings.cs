using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;

namespace Parley.Cli.Hosting;

/// <summary>The in-process sentence encoder, with the on-disk embedding cache of the data folder in front of it.</summary>
internal static class LocalEmbeddings
{
    // One encoder per process: loading the model takes about a second, and it is thread-safe. The first context to
    // use it decides where the model file is kept (its data folder's cache).
    private static Lazy<MiniLmEmbeddingGenerator>? _encoder;

    /// <summary>The encoder without the cache, for measuring what encoding really costs. Do not dispose it.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Uncached(CliContext context) => Encoder(context);

    /// <summary>
    /// The encoder behind the cache in <c>&lt;data folder&gt;/cache</c>. Do not dispose it: the encoder is shared.
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(CliContext context) =>
        new EmbeddingGeneratorBuilder<string, Embedding<float>>(Encoder(context))
            .UseDiskCache(CacheFolder(context))
            .Build();

    private static string CacheFolder(CliContext context) => Path.Combine(ParleySettings.DataDirectory(context), "cache");

    private static MiniLmEmbeddingGenerator Encoder(CliContext context)
    {
        var folder = CacheFolder(context);
        Interlocked.CompareExchange(
            ref _encoder,
            new Lazy<MiniLmEmbeddingGenerator>(() => new MiniLmEmbeddingGenerator(new EncoderOptions { ModelCacheDirectory = folder })),
            null);
        return _encoder.Value;
    }
}
