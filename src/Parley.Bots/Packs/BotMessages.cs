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
        FormStopped = "OK, I've stopped. Nothing was changed.",
        ApprovalDenied = "OK, I won't do that. Nothing was changed.",
        AskTime = "At what time {0}?",
        ApprovalPrompt = "I'm about to {0}: {1}. Shall I go ahead? (yes/no)",
        SlotValue = "{0} \"{1}\"",
        ListSeparator = ", ",
        ToolVerbs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["calendar_create"] = "add this to your calendar",
            ["calendar_move"] = "move this event",
            ["calendar_cancel"] = "cancel this event",
        },
        OtherToolVerb = "run {0}",
        OnlyLanguage = "Sorry, I can only understand and answer questions in {0}.",
        LanguageNames = new Dictionary<string, string>(StringComparer.Ordinal) { [BotLanguages.English] = "English", [BotLanguages.Chinese] = "Chinese" },
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
        FormStopped = "好的，已经停下了，什么都没有改动。",
        ApprovalDenied = "好的，我不会这样做，什么都没有改动。",
        AskTime = "{0}几点？",
        ApprovalPrompt = "我将要{0}：{1}。确定吗？（是/否）",
        SlotValue = "{0}“{1}”",
        ListSeparator = "，",
        ToolVerbs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["calendar_create"] = "把这件事加入您的日历",
            ["calendar_move"] = "改动这个日程",
            ["calendar_cancel"] = "取消这个日程",
        },
        OtherToolVerb = "执行 {0}",
        OnlyLanguage = "抱歉，我只能理解和回答{0}的问题。",
        LanguageNames = new Dictionary<string, string>(StringComparer.Ordinal) { [BotLanguages.English] = "英文", [BotLanguages.Chinese] = "中文" },
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

    /// <summary>The reply when the user leaves a tool's form ("cancel" while a slot is asked for).</summary>
    public required string FormStopped { get; init; }

    /// <summary>The reply when the user says no to a tool call that needs approval.</summary>
    public required string ApprovalDenied { get; init; }

    /// <summary>The question for the time of a date slot given without one; <c>{0}</c> is the day as the user wrote it.</summary>
    public required string AskTime { get; init; }

    /// <summary>The approval question; <c>{0}</c> is what the tool will do (<see cref="ToolVerbs"/>), <c>{1}</c> the slot values.</summary>
    public required string ApprovalPrompt { get; init; }

    /// <summary>One slot value in the approval question; <c>{0}</c> is the slot's name, <c>{1}</c> its value.</summary>
    public required string SlotValue { get; init; }

    /// <summary>What separates the slot values in the approval question.</summary>
    public required string ListSeparator { get; init; }

    /// <summary>What a changing built-in tool does, as the approval question says it, by tool name.</summary>
    public required IReadOnlyDictionary<string, string> ToolVerbs { get; init; }

    /// <summary>What any other tool does; <c>{0}</c> is its name.</summary>
    public required string OtherToolVerb { get; init; }

    /// <summary>
    /// The line before the fallback when a message is written in another language than the pack's (<see cref="BotLanguages.Detect"/>),
    /// in the message's language; <c>{0}</c> is the pack's language (<see cref="LanguageNames"/>).
    /// </summary>
    public required string OnlyLanguage { get; init; }

    /// <summary>The name of each <see cref="BotLanguages">language</see> in this one.</summary>
    public required IReadOnlyDictionary<string, string> LanguageNames { get; init; }

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
