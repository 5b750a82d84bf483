using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;
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
        return Path.Combine(Path.GetFullPath(indexesFolder), $"{MarkdownChunker.Slug(pack.Name)}-{hash}");
    }

    /// <summary>
    /// Opens the pack's knowledge: lexical (<see cref="LexicalKnowledgeSearch"/>) for a Chinese pack, else hybrid when
    /// <see cref="BotBuildOptions.HybridKnowledge"/> is on, else its dense half alone.
    /// </summary>
    public static async Task<IKnowledgeSearch> OpenAsync(
        BotPack pack, IEmbeddingGenerator<string, Embedding<float>> embeddings, BotBuildOptions options, CancellationToken cancellationToken)
    {
        var chunking = options.Chunking ?? WordPieceChunking.Create();
        var lexical = pack.Manifest.Language == BotLanguages.Chinese;
        if (options.KnowledgeIndexesFolder is not { } indexes || !Directory.Exists(pack.KnowledgePath))
        {
            if (lexical)
            {
                return new LexicalKnowledgeSearch(await Bm25KnowledgeIndex.BuildAsync(pack.KnowledgePath, chunking, cancellationToken).ConfigureAwait(false));
            }

            // In memory: no BM25 index is built unless it is searched.
            return options.HybridKnowledge
                ? ForQueries(await HybridKnowledgeSearch.BuildAsync(embeddings, pack.KnowledgePath, options.KnowledgeSearch, chunking, cancellationToken).ConfigureAwait(false), pack, embeddings, options)
                : ForQueries(await DenseKnowledgeIndex.BuildAsync(embeddings, pack.KnowledgePath, chunking, cancellationToken).ConfigureAwait(false), pack, embeddings);
        }

        var (_, search) = await KnowledgeIndexStore.UpdateAndOpenAsync(
            pack.KnowledgePath, IndexFolder(indexes, pack), embeddings, options.KnowledgeProgress, chunking, options.KnowledgeSearch, cancellationToken).ConfigureAwait(false);
        if (lexical)
        {
            // The passages' vectors are kept in the index but not searched: MiniLM does not read Chinese.
            return new LexicalKnowledgeSearch(search.Lexical);
        }

        if (options.HybridKnowledge)
        {
            return ForQueries(search, pack, embeddings, options);
        }

        // The dense index does not depend on the BM25 one: close the Lucene reader rather than keep it open unused.
        search.Dispose();
        return ForQueries(search.Dense, pack, embeddings);
    }

    // Queries go through the knowledge encoder's query side: its prefix, for a model trained with one (passages are
    // embedded as they are).
    private static DenseKnowledgeIndex ForQueries(DenseKnowledgeIndex dense, BotPack pack, IEmbeddingGenerator<string, Embedding<float>> embeddings) =>
        pack.Manifest.KnowledgeEncoder.QueryPrefix is null ? dense : dense.WithQueryEmbeddings(QueryPrefixEmbeddingGenerator.ForQueries(embeddings, pack.Manifest.KnowledgeEncoder));

    private static HybridKnowledgeSearch ForQueries(HybridKnowledgeSearch hybrid, BotPack pack, IEmbeddingGenerator<string, Embedding<float>> embeddings, BotBuildOptions options) =>
        pack.Manifest.KnowledgeEncoder.QueryPrefix is null ? hybrid : new HybridKnowledgeSearch(hybrid.Lexical, ForQueries(hybrid.Dense, pack, embeddings), options.KnowledgeSearch);

}
