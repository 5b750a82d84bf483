using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Retrieval;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Indexing;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Knowledge;

/// <summary>
/// Opens a bot's knowledge search: from an on-disk index kept up to date with the pack's <c>knowledge/</c> folder when
/// an indexes folder is given, else built in memory.
/// </summary>
internal static class BotKnowledge
{
    /// <summary>The index folder of a pack: <c>&lt;indexes&gt;/&lt;bot name&gt;-&lt;first 12 hex digits of the SHA-256 of the full knowledge path&gt;</c>.</summary>
    public static string IndexFolder(string indexesFolder, BotPack pack)
    {
        var knowledge = Path.TrimEndingDirectorySeparator(Path.GetFullPath(pack.KnowledgePath));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(knowledge)))[..12];
        return Path.Combine(Path.GetFullPath(indexesFolder), $"{MarkdownSlug(pack.Name)}-{hash}");
    }

    /// <summary>Opens the pack's knowledge: hybrid when <see cref="BotBuildOptions.HybridKnowledge"/> is on, else its dense half alone.</summary>
    public static async Task<IKnowledgeSearch> OpenAsync(
        BotPack pack, IEmbeddingGenerator<string, Embedding<float>> embeddings, BotBuildOptions options, CancellationToken cancellationToken)
    {
        var search = await OpenHybridAsync(pack, embeddings, options, cancellationToken).ConfigureAwait(false);
        if (options.HybridKnowledge)
        {
            return search;
        }

        // The dense index does not depend on the BM25 one: close the Lucene reader rather than keep it open unused.
        search.Dispose();
        return search.Dense;
    }

    private static async Task<HybridKnowledgeSearch> OpenHybridAsync(
        BotPack pack, IEmbeddingGenerator<string, Embedding<float>> embeddings, BotBuildOptions options, CancellationToken cancellationToken)
    {
        var chunking = options.Chunking ?? WordPieceChunking.Create();
        var fusion = options.KnowledgeSearch;
        if (options.KnowledgeIndexesFolder is not { } indexes || !Directory.Exists(pack.KnowledgePath))
        {
            return await HybridKnowledgeSearch.BuildAsync(embeddings, pack.KnowledgePath, fusion, chunking, cancellationToken).ConfigureAwait(false);
        }

        var folder = IndexFolder(indexes, pack);
        await KnowledgeIndexStore.BuildAsync(pack.KnowledgePath, folder, embeddings, options.KnowledgeProgress, chunking, cancellationToken).ConfigureAwait(false);
        try
        {
            return await KnowledgeIndexStore.LoadAsync(folder, embeddings, fusion, cancellationToken).ConfigureAwait(false);
        }
        catch (KnowledgeException e)
        {
            // The manifest and vectors were fine (the build kept them) but the rest is not, e.g. a damaged Lucene index.
            options.KnowledgeProgress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Reading, 0, 0, $"{e.Message.Split("; re-index")[0]}; rebuilding the index from scratch"));
            File.Delete(Path.Combine(folder, KnowledgeIndexStore.ManifestFileName));
            await KnowledgeIndexStore.BuildAsync(pack.KnowledgePath, folder, embeddings, options.KnowledgeProgress, chunking, cancellationToken).ConfigureAwait(false);
            return await KnowledgeIndexStore.LoadAsync(folder, embeddings, fusion, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string MarkdownSlug(string name) => MarkdownChunker.Slug(name);
}
