using Microsoft.Extensions.Logging;

namespace Parley.Core.Resilience;

/// <summary>Log messages of <see cref="RetryPipeline"/>; they name failures, never message content.</summary>
internal static partial class RetryLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Model endpoint attempt {Attempt} of {MaxAttempts} failed ({Reason}); retrying in {DelayMs} ms.")]
    public static partial void Retrying(ILogger logger, int attempt, int maxAttempts, string reason, long delayMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Message}")]
    public static partial void GaveUp(ILogger logger, string message);
}
