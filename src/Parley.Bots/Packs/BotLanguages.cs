namespace Parley.Bots.Packs;

/// <summary>The values of a pack's <c>language</c> key.</summary>
public static class BotLanguages
{
    /// <summary>English: knowledge searched by all-MiniLM-L6-v2 vectors; English messages.</summary>
    public const string English = "en";

    /// <summary>
    /// Chinese: knowledge searched lexically (BM25 over SmartCn word segmentation, see
    /// <see cref="Knowledge.LexicalKnowledgeSearch"/>), because the English sentence encoder gives Chinese text
    /// near-meaningless vectors; Chinese messages.
    /// </summary>
    public const string Chinese = "zh";

    /// <summary>Every supported value, in the order they are listed in errors.</summary>
    public static readonly IReadOnlyList<string> All = [English, Chinese];
}
