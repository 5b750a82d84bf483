using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Indexing;

/// <summary>
/// Reads a stored index: its manifest and vectors (checked against each other), whether it can be reused for an
/// update, and the search over it. Every failure is a <see cref="KnowledgeException"/> that names the folder and says to
/// re-index.
/// </summary>
internal static class KnowledgeIndexReader
{
    /// <summary>The search over <paramref name="index"/>: its vectors, and the Lucene index in its folder.</summary>
    public static HybridKnowledgeSearch Open(string indexFolder, IEmbeddingGenerator<string, Embedding<float>> embeddings, StoredIndex index, HybridSearchOptions? options)
    {
        var passages = index.Manifest.Chunks.Select(StoredIndex.ToPassage).ToArray();
        Bm25KnowledgeIndex lexical;
        try
        {
            lexical = Bm25KnowledgeIndex.Open(passages, Path.Combine(indexFolder, KnowledgeIndexStore.LuceneFolderName));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new KnowledgeException(Damaged(indexFolder, $"the Lucene index cannot be opened ({e.Message})"), e);
        }

        var dense = DenseKnowledgeIndex.FromVectors(embeddings, passages, index.Matrix, index.Dimensions);
        return new HybridKnowledgeSearch(lexical, dense, options);
    }

    /// <summary>The message for a damaged index: what is wrong, and to re-index.</summary>
    public static string Damaged(string indexFolder, string what) =>
        $"{indexFolder}: the knowledge index is damaged ({what}); re-index with parley kb index --docs DIR --index {indexFolder}.";

    /// <summary>The embedding model's id, as the manifest records it.</summary>
    public static string ModelId(IEmbeddingGenerator<string, Embedding<float>> embeddings) =>
        embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown";

    /// <summary>Reads and checks the manifest and vectors in <paramref name="indexFolder"/>.</summary>
    public static async Task<StoredIndex> ReadAsync(string indexFolder, CancellationToken cancellationToken)
    {
        KnowledgeIndexManifest? manifest;
        try
        {
            await using var stream = File.OpenRead(Path.Combine(indexFolder, KnowledgeIndexStore.ManifestFileName));
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var version = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format_version", out var v) && v.TryGetInt32(out var n) ? n : -1;
            if (version != KnowledgeIndexStore.FormatVersion)
            {
                throw new KnowledgeException($"{indexFolder}: the index has format version {(version < 0 ? "unknown" : version)}, and this Parley reads version {KnowledgeIndexStore.FormatVersion}; re-index with parley kb index --docs DIR --index {indexFolder}.");
            }

            manifest = document.Deserialize<KnowledgeIndexManifest>(StoredIndex.Json);
        }
        catch (JsonException e)
        {
            throw new KnowledgeException(Damaged(indexFolder, $"{KnowledgeIndexStore.ManifestFileName} is not valid JSON: {e.Message}"), e);
        }

        if (manifest is null || manifest.Files is null || manifest.Chunks is null || manifest.EmbeddingModel is null || manifest.Chunking is null
            || manifest.Chunks.Any(c => c is null || c.Id is null || c.Source is null || c.Text is null)
            || manifest.Files.Any(f => f is null || f.FirstChunk < 0 || f.ChunkCount < 0 || f.FirstChunk + f.ChunkCount > manifest.Chunks.Count))
        {
            throw new KnowledgeException(Damaged(indexFolder, $"{KnowledgeIndexStore.ManifestFileName} is incomplete"));
        }

        try
        {
            var (matrix, dimensions) = await VectorFile.ReadAsync(Path.Combine(indexFolder, KnowledgeIndexStore.VectorsFileName), manifest.Chunks.Count, cancellationToken).ConfigureAwait(false);
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
    public static string? LuceneProblem(string indexFolder, StoredIndex index)
    {
        try
        {
            Bm25KnowledgeIndex.Open(index.Manifest.Chunks.Select(StoredIndex.ToPassage), Path.Combine(indexFolder, KnowledgeIndexStore.LuceneFolderName)).Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return $"the Lucene index cannot be opened ({e.Message})";
        }
    }

    /// <summary>The existing index to reuse, or null with why it cannot be (null when there is none).</summary>
    /// <remarks>A damaged, old-format, other-model or other-chunking index is rebuilt from scratch.</remarks>
    public static async Task<(StoredIndex? Index, string? Reason)> TryReadPreviousAsync(string indexFolder, string model, string chunking, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(indexFolder, KnowledgeIndexStore.ManifestFileName)))
        {
            return (null, Directory.Exists(indexFolder) ? $"{KnowledgeIndexStore.ManifestFileName} is missing" : null);
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
}
