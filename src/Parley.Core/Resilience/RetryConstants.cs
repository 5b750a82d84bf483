namespace Parley.Core.Resilience;

/// <summary>The documented defaults of <see cref="RetryOptions"/>.</summary>
public static class RetryConstants
{
    /// <summary>Default <see cref="RetryOptions.MaxAttempts"/>: 4 (the first try and up to 3 retries).</summary>
    public const int DefaultMaxAttempts = 4;

    /// <summary>Default <see cref="RetryOptions.JitterFactor"/>: 0.25 (each wait varies by up to ±25 %).</summary>
    public const double DefaultJitterFactor = 0.25;

    /// <summary>Default <see cref="RetryOptions.InitialDelay"/>: 0.5 s.</summary>
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromSeconds(0.5);

    /// <summary>Default <see cref="RetryOptions.MaxDelay"/>: 10 s.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>Default <see cref="RetryOptions.Deadline"/>: 60 s for all attempts and waits together.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The longest finite deadline a timer can hold (about 49.7 days).</summary>
    public static readonly TimeSpan MaxFiniteDeadline = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);
}
