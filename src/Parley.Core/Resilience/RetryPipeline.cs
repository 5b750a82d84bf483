using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Parley.Core.Resilience;

/// <summary>
/// Runs calls to a model endpoint through a Polly pipeline built from <see cref="RetryOptions"/>: transient failures are
/// retried with exponential backoff and jitter (or after the server's Retry-After) within the overall deadline, and the
/// final failure becomes an <see cref="UpstreamException"/> with a one-line message.
/// </summary>
/// <remarks>
/// Cancellation by the caller is never retried and surfaces as <see cref="OperationCanceledException"/> naming the
/// caller's token; an <see cref="ArgumentException"/> (a mistake in the request) is rethrown as it is. A pipeline is
/// safe to share: each call keeps its own attempts and clock.
/// </remarks>
public sealed class RetryPipeline
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    /// <summary>Builds the pipeline.</summary>
    /// <param name="options">Retry settings; <see langword="null"/> for the defaults. Copied and validated here.</param>
    /// <param name="logger">Receives a warning per retry and an error on giving up; no message content is logged.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public RetryPipeline(RetryOptions? options = null, ILogger? logger = null)
    {
        Options = (options ?? new RetryOptions()).Clone();
        Options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _pipeline = RetryPipelineFactory.Create(Options);
    }

    /// <summary>The settings in force (a copy: changing it has no effect).</summary>
    internal RetryOptions Options { get; }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds or the pipeline gives up.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="attempt">One attempt; its token is cancelled by the caller or when the deadline passes.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The first successful attempt's result.</returns>
    /// <exception cref="UpstreamException">The endpoint failed and no retry is left.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return ExecuteAsync(Begin(cancellationToken), static (token, attempt) => attempt(token), attempt).AsTask();
    }

    /// <summary>The state of a new call, for callers that need it after the pipeline returned (a stream that breaks later).</summary>
    internal RetryState Begin(CancellationToken cancellationToken) => new(Options, _logger, cancellationToken);

    internal async ValueTask<T> ExecuteAsync<T, TState>(RetryState call, Func<CancellationToken, TState, ValueTask<T>> attempt, TState state)
    {
        var context = ResilienceContextPool.Shared.Get(call.CallerToken);
        context.Properties.Set(RetryState.Key, call);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (context, s) =>
                {
                    s.call.BeginAttempt();
                    try
                    {
                        return await s.attempt(context.CancellationToken, s.state).ConfigureAwait(false);
                    }
                    catch (Exception) when (context.CancellationToken.IsCancellationRequested)
                    {
                        s.call.AttemptCut();
                        throw;
                    }
                },
                context,
                (call, attempt, state)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw call.Fail(ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
