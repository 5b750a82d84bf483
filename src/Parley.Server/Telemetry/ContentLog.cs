using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Telemetry;

/// <summary>
/// Logs prompts and replies at Information, each cut to <see cref="MaxChars"/> characters, when
/// <see cref="ParleyServerOptions.LogContent"/> is on; otherwise logs nothing. Never logs headers, so never API keys.
/// Control characters in the text are escaped, so one message is one line of the prompt (no forged log lines).
/// </summary>
internal sealed partial class ContentLog(ILogger<ContentLog> logger, ParleyServerOptions options)
{
    /// <summary>The most characters of one prompt or reply that are logged.</summary>
    public const int MaxChars = 2000;

    /// <summary>Whether content is logged at all.</summary>
    public bool IsEnabled => options.LogContent && logger.IsEnabled(LogLevel.Information);

    /// <summary>Logs the messages of a request to <paramref name="model"/>, one <c>role: text</c> line each.</summary>
    public void Prompt(string model, IReadOnlyList<ChatMessage> messages)
    {
        if (IsEnabled)
        {
            LogPrompt(logger, LogText.Escape(model)!, messages.Count, Cut(string.Join("\n", messages.Select(m => $"{m.Role}: {LogText.Escape(m.Text)}"))));
        }
    }

    /// <summary>Logs the reply <paramref name="model"/> gave.</summary>
    public void Reply(string model, string? text)
    {
        if (IsEnabled)
        {
            LogReply(logger, LogText.Escape(model)!, Cut(LogText.Escape(text) ?? string.Empty));
        }
    }

    private static string Cut(string text) =>
        text.Length <= MaxChars ? text : string.Concat(text.AsSpan(0, MaxChars), $"… ({text.Length - MaxChars} more characters)");

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Prompt to {Model} ({MessageCount} messages):\n{Prompt}")]
    private static partial void LogPrompt(ILogger logger, string model, int messageCount, string prompt);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Reply from {Model}:\n{Reply}")]
    private static partial void LogReply(ILogger logger, string model, string reply);
}
