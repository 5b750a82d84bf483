using Parley.Core.Limits;

namespace Parley.Server.Security;

/// <summary>The database's shared rate-limit counter, or none (a SQLite file: the server counts in memory); owns it.</summary>
internal sealed class SharedRateLimitCounter(IRateLimitCounter? counter) : IDisposable
{
    public IRateLimitCounter? Counter { get; } = counter;

    public void Dispose() => (Counter as IDisposable)?.Dispose();
}
