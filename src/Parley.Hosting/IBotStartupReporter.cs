namespace Parley.Hosting;

/// <summary>
/// Hears what happens while a bot starts: slow one-time work (training its intent model, embedding new knowledge) and
/// warnings about its knowledge and tools. The default logs; the command-line app prints short lines.
/// </summary>
public interface IBotStartupReporter
{
    /// <summary>The bot's intent model is being trained from <paramref name="examples"/> examples (first start, or they changed).</summary>
    /// <param name="bot">The bot's name.</param>
    /// <param name="examples">How many examples it is trained from.</param>
    void TrainingIntentModel(string bot, int examples);

    /// <summary>The intent model announced by <see cref="TrainingIntentModel"/> was trained.</summary>
    /// <param name="bot">The bot's name.</param>
    /// <param name="elapsed">How long training took.</param>
    void IntentModelTrained(string bot, TimeSpan elapsed);

    /// <summary>New or changed knowledge passages are being embedded into the bot's index.</summary>
    /// <param name="bot">The bot's name.</param>
    /// <param name="passages">How many passages are embedded.</param>
    void IndexingKnowledge(string bot, int passages);

    /// <summary>Something about the bot's knowledge the user should know: a file skipped, an index rebuilt.</summary>
    /// <param name="bot">The bot's name.</param>
    /// <param name="warning">The warning.</param>
    void KnowledgeWarning(string bot, string warning);

    /// <summary>Something about the bot's tools the user should know: an MCP server that could not be reached.</summary>
    /// <param name="bot">The bot's name.</param>
    /// <param name="warning">The warning.</param>
    void ToolWarning(string bot, string warning);
}
