using System.Threading.RateLimiting;

namespace Parley.Server.Security;

/// <summary>
/// Counts failed authentications per client address: once an address has failed
/// <see cref="ParleyServerOptions.AuthFailuresPerMinute"/> times in a minute, every request from it gets 429 until the
/// minute is over — a correct key included, so guessing cannot go on at full speed and tell right from wrong.
/// </summary>
internal sealed class AuthFailureThrottle : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string>? _failures;
    // The limiter's windows run on the system clock; so does this.
    private readonly TimeProvider _clock = TimeProvider.System;

    // When the last failure was counted (a timestamp of _clock), 0 for never.
    private long _lastFailure;

    public AuthFailureThrottle(ParleyServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AuthFailuresPerMinute > 0)
        {
            _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.AuthFailuresPerMinute,
                Window = Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    /// <summary>
    /// Whether any address may be blocked: false when no failure was counted within two windows, so a request need not
    /// look up its address's count (the common case, and the cheap one).
    /// </summary>
    public bool MayBlock => _failures is not null && Volatile.Read(ref _lastFailure) is var last && last != 0 && _clock.GetElapsedTime(last) <= 2 * Window;

    /// <summary>Whether <paramref name="address"/> has used up its failures; if so, how long until it may try again.</summary>
    public bool IsBlocked(string address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_failures is null || !MayBlock)
        {
            return false;
        }

        // Asking for 0 permits tells whether any are left without using one.
        using var lease = _failures.AttemptAcquire(address, 0);
        if (lease.IsAcquired)
        {
            return false;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        return true;
    }

    /// <summary>Counts one failed authentication from <paramref name="address"/>.</summary>
    public void RecordFailure(string address)
    {
        if (_failures is null)
        {
            return;
        }

        Volatile.Write(ref _lastFailure, _clock.GetTimestamp());
        using var _ = _failures.AttemptAcquire(address, 1);
    }

    public void Dispose() => _failures?.Dispose();
}
