using Parley.Retrieval.Chunking;
using Parley.Retrieval.Indexing;
using Parley.Retrieval.Ingestion;

namespace Parley.Retrieval.Knowledge;

/// <summary>Reads and chunks the documents of a knowledge folder.</summary>
public static class KnowledgeFolder
{
    /// <summary>The file extensions indexed from a knowledge folder (see <see cref="DocumentReader"/>).</summary>
    public static readonly IReadOnlySet<string> Extensions = DocumentReader.Extensions;

    // Unreadable subfolders are passed over rather than failing the whole listing; hidden files are indexed as before.
    private static readonly EnumerationOptions Enumeration = new() { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };

    /// <summary>The indexable files under <paramref name="folder"/>, as full paths in ordinal order of their relative paths.</summary>
    /// <param name="folder">The knowledge folder; a missing folder has no files.</param>
    public static IReadOnlyList<string> ListFiles(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return !Directory.Exists(folder)
            ? []
            : Directory.EnumerateFiles(folder, "*", Enumeration)
                .Where(f => Extensions.Contains(Path.GetExtension(f)))
                .OrderBy(f => SourcePath(folder, f), StringComparer.Ordinal)
                .ToArray();
    }

    /// <summary>A file's path relative to the knowledge folder, with forward slashes (the passages' <see cref="KnowledgePassage.Source"/>).</summary>
    public static string SourcePath(string folder, string file) => Path.GetRelativePath(folder, file).Replace('\\', '/');

    /// <summary>
    /// Reads every document under <paramref name="folder"/> (in ordinal path order) and splits it into passages.
    /// A file that cannot be read is left out; <see cref="ReadAsync"/> also says which and why.
    /// </summary>
    /// <param name="folder">The knowledge folder; a missing folder gives no passages.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<IReadOnlyList<KnowledgePassage>> ReadPassagesAsync(string folder, ChunkingOptions? chunking = null, CancellationToken cancellationToken = default) =>
        (await ReadAsync(folder, chunking, cancellationToken).ConfigureAwait(false)).Passages;

    /// <summary>Reads every document under <paramref name="folder"/>, skipping (and reporting) files that cannot be read.</summary>
    /// <param name="folder">The knowledge folder; a missing folder gives no passages.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<(IReadOnlyList<KnowledgePassage> Passages, IReadOnlyList<SkippedFile> Skipped)> ReadAsync(
        string folder, ChunkingOptions? chunking = null, CancellationToken cancellationToken = default)
    {
        var passages = new List<KnowledgePassage>();
        var skipped = new List<SkippedFile>();
        foreach (var file in ListFiles(folder))
        {
            var source = SourcePath(folder, file);
            var (content, error) = await TryReadBytesAsync(file, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                skipped.Add(new SkippedFile(source, error!));
                continue;
            }

            if (TryChunk(source, content, chunking, out var chunks, out error))
            {
                passages.AddRange(chunks);
            }
            else
            {
                skipped.Add(new SkippedFile(source, error));
            }
        }

        return (passages, skipped);
    }

    /// <summary>Reads a file's bytes, or says why it cannot be read.</summary>
    internal static async Task<(byte[]? Content, string? Error)> TryReadBytesAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return (await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever goes wrong with one file (a broken link, no permission, a device that fails) leaves the rest indexed.
            return (null, Describe(e));
        }
    }

    /// <summary>Splits a file's content into passages, or says why it cannot be.</summary>
    internal static bool TryChunk(string source, byte[] content, ChunkingOptions? chunking, out IReadOnlyList<KnowledgePassage> passages, out string error)
    {
        try
        {
            passages = DocumentReader.Read(source, content, chunking);
            error = string.Empty;
            return true;
        }
        catch (InvalidDataException e)
        {
            passages = [];
            error = e.Message;
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // A bug in a reader or the chunker must not take the whole index down: the file is skipped and named.
            passages = [];
            error = "it could not be chunked: " + Describe(e);
            return false;
        }
    }

    private static string Describe(Exception e) => e is IOException or UnauthorizedAccessException ? e.Message : $"{e.GetType().Name}: {e.Message}";
}
