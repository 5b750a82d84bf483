namespace Parley.Bots.Replies;

/// <summary>The ways a bot can answer a message, as reported in <see cref="BotReplyInfo.Route"/>.</summary>
public static class BotRoutes
{
    /// <summary>An intent was recognised with confidence and its response template answered.</summary>
    public const string Template = "template";

    /// <summary>A knowledge passage was quoted, with its source.</summary>
    public const string Retrieval = "retrieval";

    /// <summary>The configured LLM generated the answer (grounded in knowledge when any was relevant).</summary>
    public const string Llm = "llm";

    /// <summary>A tool produced the answer.</summary>
    public const string Tool = "tool";

    /// <summary>A safety rule of the pack answered: an input rule's fixed reply, or an output rule's safe reply in place of forbidden content.</summary>
    public const string Rule = "rule";

    /// <summary>The conversation was handed to a person: the user asked for one, or the bot could not answer several times in a row.</summary>
    public const string Handoff = "handoff";

    /// <summary>Nothing answered with confidence: the bot said it does not know and offered a person.</summary>
    public const string Fallback = "fallback";
}
