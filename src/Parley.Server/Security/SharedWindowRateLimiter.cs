using System.Threading.RateLimiting;
using Parley.Core.Limits;

namespace Parley.Server.Security;

/// <summary>
/// A fixed-window rate limiter of one client whose count lives in a shared <see cref="IRateLimitCounter"/> (PostgreSQL),
/// so servers behind one load balancer share one limit. Windows are aligned to the clock (whole minutes for a one-minute
/// window) so every server agrees on them; the synchronous attempt always defers to the counted, asynchronous one.
/// </summary>
internal sealed class SharedWindowRateLimiter(IRateLimitCounter counter, string partition, int permits, TimeSpan window, TimeProvider time) : RateLimiter
{
    private static readonly RateLimitLease Pending = new Lease(acquired: false, retryAfter: null);
    private static readonly RateLimitLease Granted = new Lease(acquired: true, retryAfter: null);
    private long _lastUsedTicks = time.GetTimestamp();

    /// <inheritdoc />
    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _lastUsedTicks));

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics() => null;

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => permitCount == 0 ? Granted : Pending;

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsedTicks, time.GetTimestamp());
        if (permitCount == 0)
        {
            return Granted;
        }

        var now = time.GetUtcNow();
        var start = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % window.Ticks), TimeSpan.Zero);
        var count = await counter.IncrementAsync(partition, start, window, cancellationToken).ConfigureAwait(false);
        return count <= permits ? Granted : new Lease(acquired: false, retryAfter: start + window - now);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
