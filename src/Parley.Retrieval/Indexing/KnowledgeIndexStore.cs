using Microsoft.Extensions.AI;
using Parley.Core.IO;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Indexing;

/// <summary>
/// An on-disk knowledge index: a folder with <c>manifest.json</c> (format version, embedding model, each file's
/// SHA-256 and the passages), <c>vectors.bin</c> (the passage vectors) and <c>lucene/</c> (the BM25 index).
/// </summary>
/// <remarks>
/// A build writes a new sibling folder and swaps it in by renaming (old aside, new in, old deleted), so a failed
/// or interrupted build leaves the previous index as it was. Files whose content hash is unchanged keep their
/// passages and vectors; only new and changed files are chunked and embedded, and when nothing changed nothing is
/// written. Builds and loads of one folder take an exclusive lock (<c>&lt;index&gt;.lock</c> next to it), so
/// concurrent builds from several processes run one after the other instead of swapping under each other. This class
/// takes the lock and checks arguments; <see cref="KnowledgeIndexWriter"/> updates and swaps,
/// <see cref="KnowledgeIndexReader"/> reads and opens, <see cref="KnowledgeIndexRecovery"/> repairs after a crash.
/// </remarks>
public static class KnowledgeIndexStore
{
    /// <summary>The on-disk format version; bumped whenever the files or the chunking change.</summary>
    /// <remarks>
    /// Version 2: passages cut within a token limit with overlap, and the chunking settings in the manifest. Version 3:
    /// link reference definitions chunked from their own spans (version 2 took Markdig's span of their group, which is
    /// the document's first block, so such files could hold passages out of order), so every file is chunked again.
    /// Version 4: a passage's embedded text names its document's title once (<see cref="Knowledge.DenseKnowledgeIndex"/>),
    /// so every passage is embedded again.
    /// </remarks>
    public const int FormatVersion = 4;

    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The vectors' file name.</summary>
    public const string VectorsFileName = "vectors.bin";

    /// <summary>The Lucene index's folder name.</summary>
    public const string LuceneFolderName = "lucene";

    /// <summary>Indexes <paramref name="docsFolder"/> into <paramref name="indexFolder"/>, reusing what the existing index there has for unchanged files.</summary>
    /// <param name="docsFolder">The knowledge folder.</param>
    /// <param name="indexFolder">The index folder; created, or replaced atomically.</param>
    /// <param name="embeddings">The embedding generator; its vectors must be L2-normalised.</param>
    /// <param name="progress">Receives progress and warnings (skipped files, an index rebuilt from scratch); may be null.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>. An index cut with other settings is rebuilt.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="KnowledgeException">The knowledge folder does not exist.</exception>
    public static async Task<KnowledgeIndexReport> BuildAsync(
        string docsFolder,
        string indexFolder,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IProgress<KnowledgeIndexProgress>? progress = null,
        ChunkingOptions? chunking = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docsFolder);
        ArgumentNullException.ThrowIfNull(indexFolder);
        ArgumentNullException.ThrowIfNull(embeddings);
        docsFolder = Path.GetFullPath(docsFolder);
        indexFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(indexFolder));
        if (!Directory.Exists(docsFolder))
        {
            throw new KnowledgeException($"{docsFolder}: the knowledge folder does not exist.");
        }

        chunking ??= ChunkingOptions.Default;
        chunking.Validate();
        using var held = await IndexLock.AcquireAsync(indexFolder, cancellationToken).ConfigureAwait(false);
        return (await KnowledgeIndexWriter.UpdateAsync(docsFolder, indexFolder, embeddings, progress, chunking, cancellationToken).ConfigureAwait(false)).Report;
    }

    /// <summary>
    /// Brings the index in <paramref name="indexFolder"/> up to date with <paramref name="docsFolder"/> as
    /// <see cref="BuildAsync"/> does, then opens it for search from what the update already read or wrote, under the
    /// same lock (so nothing is read twice and no other process swaps the index in between). Bots start this way.
    /// </summary>
    /// <param name="docsFolder">The knowledge folder.</param>
    /// <param name="indexFolder">The index folder; created, or replaced atomically.</param>
    /// <param name="embeddings">The embedding generator; its vectors must be L2-normalised.</param>
    /// <param name="progress">Receives progress and warnings; may be null.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>.</param>
    /// <param name="options">The fusion options; null for the defaults.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="KnowledgeException">The knowledge folder does not exist, or the index cannot be opened.</exception>
    public static async Task<(KnowledgeIndexReport Report, HybridKnowledgeSearch Search)> UpdateAndOpenAsync(
        string docsFolder,
        string indexFolder,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IProgress<KnowledgeIndexProgress>? progress = null,
        ChunkingOptions? chunking = null,
        HybridSearchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docsFolder);
        ArgumentNullException.ThrowIfNull(indexFolder);
        ArgumentNullException.ThrowIfNull(embeddings);
        docsFolder = Path.GetFullPath(docsFolder);
        indexFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(indexFolder));
        if (!Directory.Exists(docsFolder))
        {
            throw new KnowledgeException($"{docsFolder}: the knowledge folder does not exist.");
        }

        chunking ??= ChunkingOptions.Default;
        chunking.Validate();
        using var held = await IndexLock.AcquireAsync(indexFolder, cancellationToken).ConfigureAwait(false);
        var (report, index) = await KnowledgeIndexWriter.UpdateAsync(docsFolder, indexFolder, embeddings, progress, chunking, cancellationToken).ConfigureAwait(false);
        return (report, KnowledgeIndexReader.Open(indexFolder, embeddings, index, options));
    }

    /// <summary>Opens the index in <paramref name="indexFolder"/> for hybrid (and BM25 or vector) search.</summary>
    /// <param name="indexFolder">The index folder written by <see cref="BuildAsync"/>.</param>
    /// <param name="embeddings">The query encoder; it must be the model the index was built with.</param>
    /// <param name="options">The fusion options; null for the defaults.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="KnowledgeException">The index is missing, damaged, of another format version or built with another model; the message says to re-index.</exception>
    public static async Task<HybridKnowledgeSearch> LoadAsync(
        string indexFolder,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        HybridSearchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(indexFolder);
        ArgumentNullException.ThrowIfNull(embeddings);
        indexFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(indexFolder));
        var parent = Path.GetDirectoryName(indexFolder);
        if (!Directory.Exists(indexFolder)
            && (parent is null || !Directory.Exists(parent) || !Directory.EnumerateDirectories(parent, AtomicFolder.AsidePattern(Path.GetFileName(indexFolder))).Any()))
        {
            throw new KnowledgeException($"{indexFolder}: no knowledge index here; build one with parley kb index --docs DIR --index {indexFolder}.");
        }

        using var held = await IndexLock.AcquireAsync(indexFolder, cancellationToken).ConfigureAwait(false);
        KnowledgeIndexRecovery.Recover(indexFolder);
        if (!File.Exists(Path.Combine(indexFolder, ManifestFileName)))
        {
            throw new KnowledgeException(Directory.Exists(indexFolder)
                ? KnowledgeIndexReader.Damaged(indexFolder, $"{ManifestFileName} is missing")
                : $"{indexFolder}: no knowledge index here; build one with parley kb index --docs DIR --index {indexFolder}.");
        }

        var model = KnowledgeIndexReader.ModelId(embeddings);
        var index = await KnowledgeIndexReader.ReadAsync(indexFolder, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(index.Manifest.EmbeddingModel, model, StringComparison.Ordinal))
        {
            throw new KnowledgeException($"{indexFolder}: the index was embedded with {index.Manifest.EmbeddingModel}, but the encoder is {model}; re-index with parley kb index --docs DIR --index {indexFolder}.");
        }

        return KnowledgeIndexReader.Open(indexFolder, embeddings, index, options);
    }
}
