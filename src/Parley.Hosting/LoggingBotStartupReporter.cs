using Microsoft.Extensions.Logging;

namespace Parley.Hosting;

/// <summary>Logs bot start-up: slow work at Information, knowledge warnings at Warning.</summary>
internal sealed partial class LoggingBotStartupReporter(ILogger<LoggingBotStartupReporter> logger) : IBotStartupReporter
{
    public void TrainingIntentModel(string bot, int examples) => LogTraining(logger, bot, examples);

    public void IntentModelTrained(string bot, TimeSpan elapsed) => LogTrained(logger, bot, elapsed.TotalSeconds);

    public void IndexingKnowledge(string bot, int passages) => LogIndexing(logger, bot, passages);

    public void KnowledgeWarning(string bot, string warning) => LogWarning(logger, bot, warning);

    public void ToolWarning(string bot, string warning) => LogWarning(logger, bot, warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {Bot}: training its intent model from {Examples} examples")]
    private static partial void LogTraining(ILogger logger, string bot, int examples);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {Bot}: intent model trained in {Seconds:0.0} s")]
    private static partial void LogTrained(ILogger logger, string bot, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {Bot}: indexing {Passages} new or changed knowledge passages")]
    private static partial void LogIndexing(ILogger logger, string bot, int passages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {Bot}: {Warning}")]
    private static partial void LogWarning(ILogger logger, string bot, string warning);
}
