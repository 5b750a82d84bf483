namespace Parley.Bots.Packs;

/// <summary>A loaded bot pack: its manifest, intents and folders.</summary>
public sealed class BotPack
{
    /// <summary>Creates a pack.</summary>
    public BotPack(string root, BotManifest manifest, IReadOnlyList<IntentDefinition> intents)
    {
        Root = root;
        Manifest = manifest;
        Intents = intents;
        IntentsByName = intents.ToDictionary(i => i.Name, StringComparer.Ordinal);
    }

    /// <summary>The pack's folder (absolute).</summary>
    public string Root { get; }

    /// <summary>The manifest.</summary>
    public BotManifest Manifest { get; }

    /// <summary>The bot's name.</summary>
    public string Name => Manifest.Name;

    /// <summary>The intents, in file order.</summary>
    public IReadOnlyList<IntentDefinition> Intents { get; }

    /// <summary>The intents by name.</summary>
    public IReadOnlyDictionary<string, IntentDefinition> IntentsByName { get; }

    /// <summary>
    /// The title of a knowledge document: its first level-one heading, else its file name.
    /// </summary>
    /// <param name="source">The document's path relative to the knowledge folder.</param>
    public string DocumentTitle(string source) => _titles.GetOrAdd(source, s =>
    {
        var path = Path.Combine(KnowledgePath, s);
        var heading = File.Exists(path)
            ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))
            : null;
        return heading is null ? Path.GetFileNameWithoutExtension(s) : heading[2..].Trim();
    });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _titles = new(StringComparer.Ordinal);

    /// <summary>The absolute path of the knowledge folder.</summary>
    public string KnowledgePath => Path.GetFullPath(Path.Combine(Root, Manifest.KnowledgeFolder));
}
