using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Resilience;

namespace Parley.Core.Tests.Resilience;

internal static class RetryTestHelpers
{
    public static HttpRequestException Http(int status) => new($"Response status code does not indicate success: {status}.", null, (HttpStatusCode)status);

    public static RetryOptions Options(FakeTimeProvider time, List<RetryEvent>? retries = null) => new()
    {
        TimeProvider = time,
        Random = new Random(1),
        OnRetry = retries is null ? null : retries.Add,
    };

    public static Task<ChatResponse> Ok(string text = "ok") => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));

    /// <summary>Never completes until its token is cancelled.</summary>
    public static async Task<ChatResponse> HangAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>Collects formatted log lines.</summary>
internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
        {
            Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
