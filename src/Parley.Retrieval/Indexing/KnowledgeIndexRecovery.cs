using Parley.Core.IO;

namespace Parley.Retrieval.Indexing;

/// <summary>Puts an index folder right after a crash: an interrupted swap finished, old staging folders removed.</summary>
internal static class KnowledgeIndexRecovery
{
    /// <summary>
    /// Finishes a swap a crash interrupted: when the index folder is missing but a complete index was set aside,
    /// that one is moved back. Staging folders of failed builds are deleted when they are an hour old.
    /// </summary>
    public static void Recover(string indexFolder)
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
                .Where(d => File.Exists(Path.Combine(d, KnowledgeIndexStore.ManifestFileName)))
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
}
