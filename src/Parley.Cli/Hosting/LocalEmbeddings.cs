using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;

namespace Parley.Cli.Hosting;

/// <summary>The in-process sentence encoder, with the on-disk embedding cache of the data folder in front of it.</summary>
internal static class LocalEmbeddings
{
    // One encoder per process: loading the model takes about a second, and it is thread-safe.
    private static readonly Lazy<MiniLmEmbeddingGenerator> Encoder = new(() => new MiniLmEmbeddingGenerator());

    /// <summary>The encoder without the cache, for measuring what encoding really costs. Do not dispose it.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Uncached => Encoder.Value;

    /// <summary>
    /// The encoder behind the cache in <c>&lt;data folder&gt;/cache</c>. Do not dispose it: the encoder is shared.
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(CliContext context) =>
        new EmbeddingGeneratorBuilder<string, Embedding<float>>(Encoder.Value)
            .UseDiskCache(Path.Combine(ParleySettings.DataDirectory(context), "cache"))
            .Build();
}
