namespace Parley.Core.Resilience;

/// <summary>
/// How a <see cref="RetryPipeline"/> (and so <see cref="RetryingChatClient"/>) retries transient failures of the
/// model endpoint: how often, how long it waits between attempts, and the overall deadline.
/// </summary>
/// <remarks>
/// The wait before retry <c>n</c> (1-based) is <c>min(MaxDelay, InitialDelay × 2^(n-1))</c>, varied by
/// ±<see cref="JitterFactor"/> and capped again at <see cref="MaxDelay"/>; a Retry-After the server sends
/// replaces it (it is not capped by <see cref="MaxDelay"/>), unless it would pass the deadline, in which case the call
/// fails at once. The settings become a Polly v8 pipeline: a timeout strategy for <see cref="Deadline"/> around a
/// retry strategy. Options are copied and validated when the pipeline is created: later changes do not affect it.
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>How many attempts to make in total, the first one included. Default 4; at least 1 (1 disables retries).</summary>
    public int MaxAttempts { get; set; } = RetryConstants.DefaultMaxAttempts;

    /// <summary>The base wait before the first retry; it doubles for each later retry. Default 0.5 s; zero or more.</summary>
    public TimeSpan InitialDelay { get; set; } = RetryConstants.DefaultInitialDelay;

    /// <summary>The longest wait between two attempts, jitter included. Default 10 s; at least <see cref="InitialDelay"/>.</summary>
    public TimeSpan MaxDelay { get; set; } = RetryConstants.DefaultMaxDelay;

    /// <summary>
    /// The time allowed for the whole call: every attempt and every wait. Default 60 s; greater than zero, or
    /// <see cref="Timeout.InfiniteTimeSpan"/>. An attempt still running when it passes is cancelled. A stream is
    /// bound by it only until its first update reaches the caller; after that it runs until it ends, fails or the
    /// caller cancels it.
    /// </summary>
    public TimeSpan Deadline { get; set; } = RetryConstants.DefaultDeadline;

    /// <summary>How much each wait varies at random, as a fraction of it: 0.25 (default) means ±25 %. From 0 to 1.</summary>
    public double JitterFactor { get; set; } = RetryConstants.DefaultJitterFactor;

    /// <summary>The clock for waits, the deadline and elapsed times. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The source of jitter. Default <see langword="null"/>: <see cref="System.Random.Shared"/>, so that clients
    /// started together do not retry in lockstep. Set a seeded instance (<c>new Random(42)</c>) for reproducible
    /// waits; the client serialises its use of it.
    /// </summary>
    public Random? Random { get; set; }

    /// <summary>
    /// Decides whether a failure is worth retrying: a <see cref="TransientFailure"/> to retry, or
    /// <see langword="null"/> to fail at once. Default <see cref="TransientFailure.Classify"/>. It is not asked about
    /// cancellation by the caller, nor about the deadline passing.
    /// </summary>
    public Func<Exception, TransientFailure?> Classifier { get; set; } = TransientFailure.Classify;

    /// <summary>
    /// Describes a failure that is not retried (HTTP status and the server's message) for
    /// <see cref="UpstreamException"/>. Default <see cref="UpstreamFailure.Describe"/>.
    /// </summary>
    public Func<Exception, UpstreamFailure> Describer { get; set; } = UpstreamFailure.Describe;

    /// <summary>
    /// Called before each wait for a retry, for progress messages or metrics. Default none. It runs on the
    /// caller's path: an exception it throws ends the call.
    /// </summary>
    public Action<RetryEvent>? OnRetry { get; set; }

    /// <summary>Checks every setting and throws an <see cref="ArgumentException"/> naming the first one out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or missing.</exception>
    public void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"RetryOptions.MaxAttempts must be at least 1 (1 disables retries); it is {MaxAttempts}.", nameof(MaxAttempts));
        }

        if (InitialDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"RetryOptions.InitialDelay must be zero or more; it is {InitialDelay}.", nameof(InitialDelay));
        }

        if (MaxDelay < InitialDelay)
        {
            throw new ArgumentException($"RetryOptions.MaxDelay ({MaxDelay}) must be at least InitialDelay ({InitialDelay}).", nameof(MaxDelay));
        }

        if (Deadline != Timeout.InfiniteTimeSpan && (Deadline <= TimeSpan.Zero || Deadline > RetryConstants.MaxFiniteDeadline))
        {
            throw new ArgumentException($"RetryOptions.Deadline must be greater than zero and at most 49 days, or Timeout.InfiniteTimeSpan; it is {Deadline}.", nameof(Deadline));
        }

        if (double.IsNaN(JitterFactor) || JitterFactor < 0 || JitterFactor > 1)
        {
            throw new ArgumentException($"RetryOptions.JitterFactor must be from 0 to 1; it is {JitterFactor}.", nameof(JitterFactor));
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("RetryOptions.TimeProvider must be set; use TimeProvider.System.", nameof(TimeProvider));
        }

        if (Classifier is null)
        {
            throw new ArgumentException("RetryOptions.Classifier must be set; use TransientFailure.Classify.", nameof(Classifier));
        }

        if (Describer is null)
        {
            throw new ArgumentException("RetryOptions.Describer must be set; use UpstreamFailure.Describe.", nameof(Describer));
        }
    }

    /// <summary>A copy of these settings (the delegates and clock are shared).</summary>
    public RetryOptions Clone() => (RetryOptions)MemberwiseClone();
}
