using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Tests;

/// <summary>A logger provider that keeps every formatted message and its structured state, for assertions on logs.</summary>
public sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<(string Category, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}
