using System.Security.Cryptography;
using System.Text.Json;
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
/// concurrent builds from several processes run one after the other instead of swapping under each other.
/// </remarks>
public static class KnowledgeIndexStore
{
    /// <summary>The on-disk format version; bumped whenever the files or the chunking change.</summary>
    /// <remarks>
    /// Version 2: passages cut within a token limit with overlap, and the chunking settings in the manifest. Version 3:
    /// link reference definitions chunked from their own spans (version 2 took Markdig's span of their group, which is
    /// the document's first block, so such files could hold passages out of order), so every file is chunked again.
    /// </remarks>
    public const int FormatVersion = 3;

    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The vectors' file name.</summary>
    public const string VectorsFileName = "vectors.bin";

    /// <summary>The Lucene index's folder name.</summary>
    public const string LuceneFolderName = "lucene";

    private const int EmbeddingBatch = 128;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

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
        return (await UpdateAsync(docsFolder, indexFolder, embeddings, progress, chunking, cancellationToken).ConfigureAwait(false)).Report;
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
        var (report, index) = await UpdateAsync(docsFolder, indexFolder, embeddings, progress, chunking, cancellationToken).ConfigureAwait(false);
        return (report, Open(indexFolder, embeddings, index, options));
    }

    /// <summary>The update of <see cref="BuildAsync"/>, with the lock held: the report and the index now on disk.</summary>
    private static async Task<(KnowledgeIndexReport Report, StoredIndex Index)> UpdateAsync(
        string docsFolder,
        string indexFolder,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IProgress<KnowledgeIndexProgress>? progress,
        ChunkingOptions chunking,
        CancellationToken cancellationToken)
    {
        Recover(indexFolder);
        var model = ModelId(embeddings);
        var (previous, rebuildReason) = await TryReadPreviousAsync(indexFolder, model, chunking.Signature, cancellationToken).ConfigureAwait(false);
        if (rebuildReason is not null)
        {
            progress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Reading, 0, 0, $"{indexFolder}: {rebuildReason}; rebuilding the index from scratch"));
        }

        var oldFiles = previous?.Manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal) ?? [];

        var files = KnowledgeFolder.ListFiles(docsFolder);
        var entries = new List<(string Path, string Hash, KnowledgePassage[] Passages, int ReusedFrom)>(files.Count);
        var skipped = new List<SkippedFile>();
        int added = 0, changed = 0, unchanged = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var source = KnowledgeFolder.SourcePath(docsFolder, files[i]);
            var (content, error) = await KnowledgeFolder.TryReadBytesAsync(files[i], cancellationToken).ConfigureAwait(false);
            var hash = content is null ? string.Empty : Convert.ToHexStringLower(SHA256.HashData(content));
            if (content is not null && previous is not null && oldFiles.TryGetValue(source, out var old) && old.Sha256 == hash)
            {
                var passages = previous.Manifest.Chunks.Skip(old.FirstChunk).Take(old.ChunkCount).Select(ToPassage).ToArray();
                entries.Add((source, hash, passages, old.FirstChunk));
                unchanged++;
            }
            else if (content is not null && KnowledgeFolder.TryChunk(source, content, chunking, out var chunks, out error))
            {
                entries.Add((source, hash, chunks.ToArray(), -1));
                _ = oldFiles.ContainsKey(source) ? changed++ : added++;
            }
            else
            {
                skipped.Add(new SkippedFile(source, error!));
                progress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Reading, i + 1, files.Count, $"skipped {source}: {error}"));
                continue;
            }

            progress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Reading, i + 1, files.Count));
        }

        var indexed = entries.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var removed = oldFiles.Keys.Count(k => !indexed.Contains(k));
        if (previous is not null && added == 0 && changed == 0 && removed == 0)
        {
            if (LuceneProblem(indexFolder, previous) is not { } problem)
            {
                return (new KnowledgeIndexReport(0, 0, 0, unchanged, previous.Manifest.Chunks.Count, 0, skipped, UpToDate: true), previous);
            }

            // The passages and vectors are sound, so they are kept; only the BM25 index is written again.
            rebuildReason = problem;
            progress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Reading, files.Count, files.Count, $"{indexFolder}: {problem}; writing the index again"));
        }

        var all = entries.SelectMany(e => e.Passages).ToArray();
        var fresh = entries.Where(e => e.ReusedFrom < 0).SelectMany(e => e.Passages).ToArray();
        var freshVectors = await EmbedAsync(embeddings, fresh, progress, cancellationToken).ConfigureAwait(false);
        var dimensions = freshVectors.Length > 0 ? freshVectors[0].Length : previous?.Dimensions ?? 0;

        var matrix = new float[all.Length * dimensions];
        int row = 0, freshRow = 0;
        var manifestFiles = new List<ManifestFile>(entries.Count);
        foreach (var entry in entries)
        {
            manifestFiles.Add(new ManifestFile(entry.Path, entry.Hash, row, entry.Passages.Length));
            for (var p = 0; p < entry.Passages.Length; p++, row++)
            {
                var vector = entry.ReusedFrom >= 0
                    ? previous!.Matrix.AsSpan((entry.ReusedFrom + p) * dimensions, dimensions)
                    : freshVectors[freshRow++].AsSpan();
                if (vector.Length != dimensions)
                {
                    throw new KnowledgeException($"the encoder returned {vector.Length}-dimensional vectors, expected {dimensions}.");
                }

                vector.CopyTo(matrix.AsSpan(row * dimensions, dimensions));
            }
        }

        progress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Writing, 0, 1));
        var manifest = new KnowledgeIndexManifest(FormatVersion, model, chunking.Signature, dimensions, manifestFiles, all.Select(ToChunk).ToList());
        await WriteAndSwapAsync(indexFolder, manifest, all, matrix, cancellationToken).ConfigureAwait(false);
        progress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Writing, 1, 1));
        return (new KnowledgeIndexReport(added, changed, removed, unchanged, all.Length, fresh.Length, skipped, rebuildReason), new StoredIndex(manifest, matrix, dimensions));
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
        Recover(indexFolder);
        if (!File.Exists(Path.Combine(indexFolder, ManifestFileName)))
        {
            throw new KnowledgeException(Directory.Exists(indexFolder)
                ? Damaged(indexFolder, $"{ManifestFileName} is missing")
                : $"{indexFolder}: no knowledge index here; build one with parley kb index --docs DIR --index {indexFolder}.");
        }

        var model = ModelId(embeddings);
        var index = await ReadAsync(indexFolder, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(index.Manifest.EmbeddingModel, model, StringComparison.Ordinal))
        {
            throw new KnowledgeException($"{indexFolder}: the index was embedded with {index.Manifest.EmbeddingModel}, but the encoder is {model}; re-index with parley kb index --docs DIR --index {indexFolder}.");
        }

        return Open(indexFolder, embeddings, index, options);
    }

    /// <summary>The search over <paramref name="index"/>: its vectors, and the Lucene index in its folder.</summary>
    private static HybridKnowledgeSearch Open(string indexFolder, IEmbeddingGenerator<string, Embedding<float>> embeddings, StoredIndex index, HybridSearchOptions? options)
    {
        var passages = index.Manifest.Chunks.Select(ToPassage).ToArray();
        Bm25KnowledgeIndex lexical;
        try
        {
            lexical = Bm25KnowledgeIndex.Open(passages, Path.Combine(indexFolder, LuceneFolderName));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new KnowledgeException(Damaged(indexFolder, $"the Lucene index cannot be opened ({e.Message})"), e);
        }

        var dense = DenseKnowledgeIndex.FromVectors(embeddings, passages, index.Matrix, index.Dimensions);
        return new HybridKnowledgeSearch(lexical, dense, options);
    }

    private static string Damaged(string indexFolder, string what) =>
        $"{indexFolder}: the knowledge index is damaged ({what}); re-index with parley kb index --docs DIR --index {indexFolder}.";

    private static string ModelId(IEmbeddingGenerator<string, Embedding<float>> embeddings) =>
        embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown";

    private sealed record StoredIndex(KnowledgeIndexManifest Manifest, float[] Matrix, int Dimensions);

    private static async Task<StoredIndex> ReadAsync(string indexFolder, CancellationToken cancellationToken)
    {
        KnowledgeIndexManifest? manifest;
        try
        {
            await using var stream = File.OpenRead(Path.Combine(indexFolder, ManifestFileName));
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var version = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format_version", out var v) && v.TryGetInt32(out var n) ? n : -1;
            if (version != FormatVersion)
            {
                throw new KnowledgeException($"{indexFolder}: the index has format version {(version < 0 ? "unknown" : version)}, and this Parley reads version {FormatVersion}; re-index with parley kb index --docs DIR --index {indexFolder}.");
            }

            manifest = document.Deserialize<KnowledgeIndexManifest>(Json);
        }
        catch (JsonException e)
        {
            throw new KnowledgeException(Damaged(indexFolder, $"{ManifestFileName} is not valid JSON: {e.Message}"), e);
        }

        if (manifest is null || manifest.Files is null || manifest.Chunks is null || manifest.EmbeddingModel is null || manifest.Chunking is null
            || manifest.Chunks.Any(c => c is null || c.Id is null || c.Source is null || c.Text is null)
            || manifest.Files.Any(f => f is null || f.FirstChunk < 0 || f.ChunkCount < 0 || f.FirstChunk + f.ChunkCount > manifest.Chunks.Count))
        {
            throw new KnowledgeException(Damaged(indexFolder, $"{ManifestFileName} is incomplete"));
        }

        try
        {
            var (matrix, dimensions) = await VectorFile.ReadAsync(Path.Combine(indexFolder, VectorsFileName), manifest.Chunks.Count, cancellationToken).ConfigureAwait(false);
            return dimensions == manifest.Dimensions || manifest.Chunks.Count == 0
                ? new StoredIndex(manifest, matrix, dimensions)
                : throw new InvalidDataException($"vectors.bin has {dimensions} dimensions, the manifest {manifest.Dimensions}");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new KnowledgeException(Damaged(indexFolder, e.Message), e);
        }
    }

    /// <summary>Why the Lucene index of an otherwise sound index cannot be opened, or null when it can.</summary>
    private static string? LuceneProblem(string indexFolder, StoredIndex index)
    {
        try
        {
            Bm25KnowledgeIndex.Open(index.Manifest.Chunks.Select(ToPassage), Path.Combine(indexFolder, LuceneFolderName)).Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return $"the Lucene index cannot be opened ({e.Message})";
        }
    }

    /// <summary>The existing index to reuse, or null with why it cannot be (null when there is none).</summary>
    /// <remarks>A damaged, old-format, other-model or other-chunking index is rebuilt from scratch.</remarks>
    private static async Task<(StoredIndex? Index, string? Reason)> TryReadPreviousAsync(string indexFolder, string model, string chunking, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(indexFolder, ManifestFileName)))
        {
            return (null, Directory.Exists(indexFolder) ? $"{ManifestFileName} is missing" : null);
        }

        StoredIndex index;
        try
        {
            index = await ReadAsync(indexFolder, cancellationToken).ConfigureAwait(false);
        }
        catch (KnowledgeException e)
        {
            // The messages name the folder and say to re-index, which is what happens next: keep only the cause.
            var cause = e.Message.StartsWith(indexFolder + ": ", StringComparison.Ordinal) ? e.Message[(indexFolder.Length + 2)..] : e.Message;
            var cut = cause.IndexOf("; re-index with", StringComparison.Ordinal);
            return (null, cut > 0 ? cause[..cut] : cause);
        }

        if (index.Manifest.EmbeddingModel != model)
        {
            return (null, $"it was embedded with {index.Manifest.EmbeddingModel}, the encoder is {model}");
        }

        return index.Manifest.Chunking == chunking
            ? (index, null)
            : (null, $"it was chunked with {index.Manifest.Chunking}, the settings are now {chunking}");
    }

    private static async Task<float[][]> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> embeddings, KnowledgePassage[] passages, IProgress<KnowledgeIndexProgress>? progress, CancellationToken cancellationToken)
    {
        var vectors = new float[passages.Length][];
        for (var start = 0; start < passages.Length; start += EmbeddingBatch)
        {
            var batch = passages.AsSpan(start, Math.Min(EmbeddingBatch, passages.Length - start)).ToArray().Select(DenseKnowledgeIndex.EmbeddingText);
            var result = await embeddings.GenerateAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < result.Count; i++)
            {
                vectors[start + i] = result[i].Vector.ToArray();
            }

            progress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Embedding, Math.Min(start + EmbeddingBatch, passages.Length), passages.Length));
        }

        return vectors;
    }

    private static async Task WriteAndSwapAsync(string indexFolder, KnowledgeIndexManifest manifest, KnowledgePassage[] passages, float[] matrix, CancellationToken cancellationToken)
    {
        var staging = AtomicFolder.StagingPath(indexFolder);
        try
        {
            Directory.CreateDirectory(staging);
            Bm25KnowledgeIndex.Create(passages, Path.Combine(staging, LuceneFolderName)).Dispose();
            await VectorFile.WriteAsync(Path.Combine(staging, VectorsFileName), matrix, passages.Length, manifest.Dimensions, cancellationToken).ConfigureAwait(false);
            // The manifest goes last: an index folder without one is never mistaken for a complete index.
            await using (var stream = new FileStream(Path.Combine(staging, ManifestFileName), FileMode.CreateNew, FileAccess.Write))
            {
                await JsonSerializer.SerializeAsync(stream, manifest, Json, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            AtomicFolder.Replace(staging, indexFolder);
        }
        catch
        {
            AtomicFolder.TryDelete(staging);
            throw;
        }
    }

    /// <summary>
    /// Finishes a swap a crash interrupted: when the index folder is missing but a complete index was set aside,
    /// that one is moved back. Staging folders of failed builds are deleted when they are an hour old.
    /// </summary>
    private static void Recover(string indexFolder)
    {
        var parent = Path.GetDirectoryName(indexFolder);
        if (parent is null || !Directory.Exists(parent))
        {
            return;
        }

        var name = Path.GetFileName(indexFolder);
        if (!Directory.Exists(indexFolder))
        {
            var aside = Directory.EnumerateDirectories(parent, AtomicFolder.AsidePattern(name))
                .Where(d => File.Exists(Path.Combine(d, ManifestFileName)))
                .OrderByDescending(Directory.GetLastWriteTimeUtc)
                .FirstOrDefault();
            if (aside is not null)
            {
                try
                {
                    Directory.Move(aside, indexFolder);
                }
                catch (IOException)
                {
                    // Another process got there first.
                }
            }
        }

        foreach (var stale in Directory.EnumerateDirectories(parent, name + ".new-*")
                     .Where(d => Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddHours(-1)))
        {
            AtomicFolder.TryDelete(stale);
        }
    }

    private static KnowledgePassage ToPassage(ManifestChunk c) => new(c.Id, c.Source, c.Title ?? string.Empty, c.Heading ?? string.Empty, c.Text, c.Start, c.Length);

    private static ManifestChunk ToChunk(KnowledgePassage p) => new(p.Id, p.Source, p.Title, p.Heading, p.Start, p.Length, p.Text);
}
