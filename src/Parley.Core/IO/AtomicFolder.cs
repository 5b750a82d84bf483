namespace Parley.Core.IO;

/// <summary>
/// Replaces folders so that a reader never sees half of one: the new content is written to a staging folder beside
/// the target, then swapped in by renames.
/// </summary>
public static class AtomicFolder
{
    /// <summary>A new staging folder path beside <paramref name="target"/> (not created): <c>&lt;target&gt;.new-&lt;guid&gt;</c>.</summary>
    public static string StagingPath(string target) => $"{Path.TrimEndingDirectorySeparator(Path.GetFullPath(target))}.new-{Guid.NewGuid():N}";

    /// <summary>The search pattern of the folders <see cref="Replace"/> sets aside beside a target named <paramref name="targetName"/>: <c>&lt;name&gt;.old-*</c>.</summary>
    public static string AsidePattern(string targetName) => targetName + ".old-*";

    /// <summary>
    /// Moves <paramref name="staged"/> into place as <paramref name="target"/>: an existing target is first moved aside
    /// (<c>&lt;target&gt;.old-&lt;guid&gt;</c>), and put back if the second move fails; the old one is then deleted
    /// (best effort: a leftover sibling folder is harmless). Durable: the staged files and folders are flushed to the
    /// disk before the renames, and the parent folder after them.
    /// </summary>
    public static void Replace(string staged, string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staged);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(target)!;
        DiskFlush.Tree(staged);
        if (!Directory.Exists(target))
        {
            try
            {
                Directory.Move(staged, target);
                DiskFlush.Folder(parent);
                return;
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process put its target in place after the check (two `parley ask` training the same model
                // at once): replace it as below, ours being as new.
            }
        }

        var aside = $"{target}.old-{Guid.NewGuid():N}";
        Directory.Move(target, aside);
        try
        {
            Directory.Move(staged, target);
        }
        catch
        {
            Directory.Move(aside, target);
            throw;
        }

        DiskFlush.Folder(parent);
        TryDelete(aside);
    }

    /// <summary>Deletes <paramref name="folder"/> and its content if it exists; a folder that cannot be deleted is left.</summary>
    public static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover sibling folder is harmless; what it was replaced by is complete.
        }
    }
}
