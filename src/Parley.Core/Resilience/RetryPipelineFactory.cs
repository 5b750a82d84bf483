using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Parley.Core.Resilience;

/// <summary>Builds the Polly pipeline behind every <see cref="RetryPipeline"/>: the one place where retries are configured.</summary>
/// <remarks>
/// Outside, a timeout strategy holds the whole call to <see cref="RetryOptions.Deadline"/>; inside it, a retry
/// strategy asks the call's <see cref="RetryState"/> whether to retry (the classifier, the attempts, a wait that would
/// pass the deadline) and how long to wait (the server's Retry-After, else the jittered backoff of
/// <see cref="RetryBackoff"/>), and waits on <see cref="RetryOptions.TimeProvider"/>.
/// </remarks>
internal static class RetryPipelineFactory
{
    public const string DeadlineStrategyName = "Parley.Deadline";
    public const string RetryStrategyName = "Parley.Retry";

    /// <summary>A pipeline for validated <paramref name="options"/>; each execution needs a <see cref="RetryState"/> in its context.</summary>
    public static ResiliencePipeline Create(RetryOptions options)
    {
        var builder = new ResiliencePipelineBuilder { Name = "Parley", TimeProvider = options.TimeProvider };
        if (options.Deadline != Timeout.InfiniteTimeSpan)
        {
            var deadline = options.Deadline;
            builder.AddTimeout(new TimeoutStrategyOptions
            {
                Name = DeadlineStrategyName,
                // A generator, because Polly checks a fixed Timeout against 10 ms – 1 day and a deadline may be longer or shorter.
                TimeoutGenerator = _ => ValueTask.FromResult(deadline),
            });
        }

        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = RetryStrategyName,
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = args => ValueTask.FromResult(State(args.Context).ShouldRetry(args.Outcome.Exception)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(State(args.Context).NextDelay),
                OnRetry = args =>
                {
                    State(args.Context).OnRetry();
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private static RetryState State(ResilienceContext context) => context.Properties.GetValue(RetryState.Key, null!);
}
