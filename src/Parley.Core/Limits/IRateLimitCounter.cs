namespace Parley.Core.Limits;

/// <summary>
/// Fixed-window request counters shared by every server on one database, so a per-client rate limit holds across
/// servers instead of multiplying with their number.
/// </summary>
public interface IRateLimitCounter
{
    /// <summary>Counts one request of <paramref name="partition"/> in the window that starts at <paramref name="windowStart"/>.</summary>
    /// <param name="partition">Who is limited (an API key or client address); implementations store only a hash of it.</param>
    /// <param name="windowStart">The start of the current window.</param>
    /// <param name="window">The window's length, for clearing windows that are over.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>How many requests the partition has made in the window, this one included.</returns>
    Task<long> IncrementAsync(string partition, DateTimeOffset windowStart, TimeSpan window, CancellationToken cancellationToken = default);
}
