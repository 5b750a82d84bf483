namespace Parley.Core.Resilience;

/// <summary>The wait before a retry when the server named none: exponential, varied by ±<see cref="RetryOptions.JitterFactor"/>.</summary>
/// <remarks>
/// Polly's own exponential jitter is decorrelated (its waits are not bounded by a factor of the base), so the
/// pipeline's <c>DelayGenerator</c> uses this instead: the documented bounds of <see cref="RetryOptions"/> hold.
/// </remarks>
internal static class RetryBackoff
{
    /// <summary><c>min(MaxDelay, InitialDelay × 2^(attempt-1))</c>, varied by ±JitterFactor and capped again at MaxDelay.</summary>
    /// <param name="options">The settings, and the source of jitter.</param>
    /// <param name="attempt">The attempt that failed, starting at 1.</param>
    public static TimeSpan Delay(RetryOptions options, int attempt)
    {
        var exponential = options.InitialDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        double sample;
        if (options.Random is { } random)
        {
            lock (random)
            {
                sample = random.NextDouble();
            }
        }
        else
        {
            sample = Random.Shared.NextDouble();
        }

        var jittered = capped * (1 + (options.JitterFactor * ((2 * sample) - 1)));
        return TimeSpan.FromMilliseconds(Math.Clamp(jittered, 0, options.MaxDelay.TotalMilliseconds));
    }
}
