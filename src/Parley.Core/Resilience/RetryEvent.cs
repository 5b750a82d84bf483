namespace Parley.Core.Resilience;

/// <summary>What <see cref="RetryOptions.OnRetry"/> is told before a <see cref="RetryPipeline"/> waits to retry.</summary>
/// <param name="Attempt">The attempt that failed, starting at 1.</param>
/// <param name="Failure">Why it failed.</param>
/// <param name="Delay">How long the client will wait before the next attempt.</param>
/// <param name="Elapsed">The time since the first attempt started.</param>
public sealed record RetryEvent(int Attempt, TransientFailure Failure, TimeSpan Delay, TimeSpan Elapsed);
