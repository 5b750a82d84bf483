namespace Parley.Retrieval.Indexing;

/// <summary>What <see cref="KnowledgeIndexStore.BuildAsync"/> did, compared with the index it replaced.</summary>
/// <param name="AddedFiles">Files new since the last index.</param>
/// <param name="ChangedFiles">Files whose content hash changed (re-chunked and re-embedded).</param>
/// <param name="RemovedFiles">Files indexed before that are gone (or now skipped).</param>
/// <param name="UnchangedFiles">Files whose passages and vectors were reused.</param>
/// <param name="Chunks">Passages in the new index.</param>
/// <param name="EmbeddedChunks">Passages embedded in this build (the rest were reused).</param>
/// <param name="Skipped">Files that could not be read, with why.</param>
/// <param name="RebuildReason">
/// Why the existing index could not be reused and every file was chunked and embedded again (damaged, another
/// format version, another embedding model or other chunking settings); null when there was none or it was reused.
/// </param>
/// <param name="UpToDate">Whether nothing had changed, so the existing index was kept as it was and nothing was written.</param>
public sealed record KnowledgeIndexReport(
    int AddedFiles,
    int ChangedFiles,
    int RemovedFiles,
    int UnchangedFiles,
    int Chunks,
    int EmbeddedChunks,
    IReadOnlyList<SkippedFile> Skipped,
    string? RebuildReason = null,
    bool UpToDate = false)
{
    /// <summary>Files in the new index.</summary>
    public int Files => AddedFiles + ChangedFiles + UnchangedFiles;
}
