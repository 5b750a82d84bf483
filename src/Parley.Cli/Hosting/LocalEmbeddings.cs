using Microsoft.Extensions.AI;
using Parley.Hosting;
using Parley.Nlu.Embeddings;

namespace Parley.Cli.Hosting;

/// <summary>The process's sentence encoder for the commands that embed without a bot (<c>nlu</c>, <c>kb</c>).</summary>
internal static class LocalEmbeddings
{
    /// <summary>The encoder behind the cache of the data folder. Do not dispose it: the encoder is shared.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(CliContext context) =>
        SharedSentenceEncoder.CreateCached(SettingsLoader.Load(context).DataFolder);

    /// <summary>The encoder without the cache, for measuring what encoding really costs. Do not dispose it.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Uncached(CliContext context) =>
        Create(context).GetService<CachingEmbeddingGenerator>()!.Uncached;
}
