using Parley.Retrieval.Chunking;

namespace Parley.Retrieval.Knowledge;

/// <summary>Reads and chunks the documents of a knowledge folder.</summary>
public static class KnowledgeFolder
{
    /// <summary>The file extensions indexed from a knowledge folder.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".md", ".markdown", ".txt" };

    /// <summary>Reads every document under <paramref name="folder"/> (in ordinal path order) and splits it into passages.</summary>
    /// <param name="folder">The knowledge folder; a missing folder gives no passages.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<IReadOnlyList<KnowledgePassage>> ReadPassagesAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var passages = new List<KnowledgePassage>();
        if (!Directory.Exists(folder))
        {
            return passages;
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var source = Path.GetRelativePath(folder, file).Replace('\\', '/');
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            passages.AddRange(MarkdownChunker.Chunk(source, text));
        }

        return passages;
    }
}
