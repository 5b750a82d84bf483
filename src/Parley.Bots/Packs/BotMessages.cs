using System.Globalization;

namespace Parley.Bots.Packs;

/// <summary>
/// The wording of what a bot writes itself, apart from the pack's templates: the introduction and source line of a
/// quoted knowledge passage, the sources line under a reply, and the default persona and fallback. One set per <see cref="BotLanguages">language</see>.
/// </summary>
public sealed class BotMessages
{
    /// <summary>English.</summary>
    public static readonly BotMessages English = new()
    {
        QuoteIntro = "Here is what our \"{0}\" page says:",
        QuoteIntroUnderHeading = "Here is what our \"{0}\" page says under \"{1}\":",
        SourceLine = "Source: {0}",
        SourcesLine = "Sources: {0}",
        DefaultPersona = BotManifest.DefaultPersona,
        DefaultFallback = BotManifest.DefaultFallback,
    };

    /// <summary>Chinese (simplified).</summary>
    public static readonly BotMessages Chinese = new()
    {
        QuoteIntro = "以下是我们《{0}》页面上的说明：",
        QuoteIntroUnderHeading = "以下是我们《{0}》页面中“{1}”部分的说明：",
        SourceLine = "来源：{0}",
        SourcesLine = "参考来源：{0}",
        DefaultPersona = "你是一个乐于助人、回答简洁的助手。请用中文回答；不知道的事情请直接说不知道。",
        DefaultFallback = "抱歉，这个问题我回答不了。需要我帮您联系人工客服吗？",
    };

    /// <summary>The introduction of a quoted passage; <c>{0}</c> is the document's title.</summary>
    public required string QuoteIntro { get; init; }

    /// <summary>The introduction of a quoted passage from a section; <c>{0}</c> is the document's title, <c>{1}</c> the section's heading.</summary>
    public required string QuoteIntroUnderHeading { get; init; }

    /// <summary>The line that names the quoted document; <c>{0}</c> is its path in the knowledge folder.</summary>
    public required string SourceLine { get; init; }

    /// <summary>The line a chat front end shows under a reply to list the documents it cites; <c>{0}</c> is the list.</summary>
    public required string SourcesLine { get; init; }

    /// <summary>The persona when the pack gives none.</summary>
    public required string DefaultPersona { get; init; }

    /// <summary>The fallback reply when the pack gives none.</summary>
    public required string DefaultFallback { get; init; }

    /// <summary>The messages of a language.</summary>
    /// <param name="language">One of <see cref="BotLanguages.All"/>.</param>
    /// <exception cref="ArgumentException">The language is not supported.</exception>
    public static BotMessages For(string language) => language switch
    {
        BotLanguages.English => English,
        BotLanguages.Chinese => Chinese,
        _ => throw new ArgumentException($"Unsupported bot language '{language}'; use one of {string.Join(", ", BotLanguages.All)}.", nameof(language)),
    };

    /// <summary>Formats a quoted passage: introduction, the passage, a blank line and the source line.</summary>
    /// <param name="title">The document's title.</param>
    /// <param name="heading">The section's heading, or null when the passage is not under a heading of its own.</param>
    /// <param name="text">The quoted text.</param>
    /// <param name="source">The document's path in the knowledge folder.</param>
    public string FormatQuote(string title, string? heading, string text, string source) =>
        (heading is null
            ? string.Format(CultureInfo.InvariantCulture, QuoteIntro, title)
            : string.Format(CultureInfo.InvariantCulture, QuoteIntroUnderHeading, title, heading))
        + "\n\n" + text + "\n\n" + string.Format(CultureInfo.InvariantCulture, SourceLine, source);
}
