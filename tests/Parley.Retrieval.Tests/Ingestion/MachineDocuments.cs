namespace Parley.Retrieval.Tests.Ingestion;

/// <summary>Markdown, MDX, HTML and text files written by others that are found on this machine.</summary>
internal static class MachineDocuments
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".md", ".markdown", ".mdx", ".html", ".htm", ".txt" };

    public static IReadOnlyList<string> Roots { get; } = new[]
    {
        "/usr/share/doc",
        "/usr/lib/node_modules",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
    }.Where(Directory.Exists).ToArray();

    /// <summary>A fixed sample: of the files up to <paramref name="maxBytes"/>, in path order, every n-th so that about <paramref name="count"/> remain.</summary>
    public static IReadOnlyList<string> Sample(int count, long maxBytes)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var files = Roots
            .SelectMany(root => Directory.EnumerateFiles(root, "*", options))
            .Where(f => Extensions.Contains(Path.GetExtension(f)) && new FileInfo(f).Length <= maxBytes)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var step = Math.Max(1, files.Length / count);
        return files.Where((_, i) => i % step == 0).ToArray();
    }
}
