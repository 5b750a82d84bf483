using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Core.IO;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Indexing;

/// <summary>
/// Brings an index folder up to date: chunks and embeds only new and changed files, reuses the passages and vectors of
/// unchanged ones, and writes the result into a staging folder that is swapped in by renaming, so a failed or interrupted
/// build leaves the previous index as it was. Callers hold the folder's <see cref="IndexLock"/>.
/// </summary>
internal static class KnowledgeIndexWriter
{
    private const int EmbeddingBatch = 128;

    /// <summary>The update of <see cref="KnowledgeIndexStore.BuildAsync"/>, with the lock held: the report and the index now on disk.</summary>
    public static async Task<(KnowledgeIndexReport Report, StoredIndex Index)> UpdateAsync(
        string docsFolder,
        string indexFolder,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IProgress<KnowledgeIndexProgress>? progress,
        ChunkingOptions chunking,
        CancellationToken cancellationToken)
    {
        KnowledgeIndexRecovery.Recover(indexFolder);
        var model = KnowledgeIndexReader.ModelId(embeddings);
        var (previous, rebuildReason) = await KnowledgeIndexReader.TryReadPreviousAsync(indexFolder, model, chunking.Signature, cancellationToken).ConfigureAwait(false);
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
                var passages = previous.Manifest.Chunks.Skip(old.FirstChunk).Take(old.ChunkCount).Select(StoredIndex.ToPassage).ToArray();
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
            if (KnowledgeIndexReader.LuceneProblem(indexFolder, previous) is not { } problem)
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
        var manifest = new KnowledgeIndexManifest(KnowledgeIndexStore.FormatVersion, model, chunking.Signature, dimensions, manifestFiles, all.Select(StoredIndex.ToChunk).ToList());
        await WriteAndSwapAsync(indexFolder, manifest, all, matrix, cancellationToken).ConfigureAwait(false);
        progress?.Report(new KnowledgeIndexProgress(KnowledgeIndexProgress.Writing, 1, 1));
        return (new KnowledgeIndexReport(added, changed, removed, unchanged, all.Length, fresh.Length, skipped, rebuildReason), new StoredIndex(manifest, matrix, dimensions));
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
            Bm25KnowledgeIndex.Create(passages, Path.Combine(staging, KnowledgeIndexStore.LuceneFolderName)).Dispose();
            await VectorFile.WriteAsync(Path.Combine(staging, KnowledgeIndexStore.VectorsFileName), matrix, passages.Length, manifest.Dimensions, cancellationToken).ConfigureAwait(false);
            // The manifest goes last: an index folder without one is never mistaken for a complete index.
            await using (var stream = new FileStream(Path.Combine(staging, KnowledgeIndexStore.ManifestFileName), FileMode.CreateNew, FileAccess.Write))
            {
                await JsonSerializer.SerializeAsync(stream, manifest, StoredIndex.Json, cancellationToken).ConfigureAwait(false);
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
}
