using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Parley.Core.Resilience;

/// <summary>
/// Chat-client middleware that retries transient failures of the model endpoint (rate limits, 5xx, broken
/// connections, timeouts) through a <see cref="RetryPipeline"/> (Polly): exponential backoff and jitter, the server's
/// Retry-After when it fits, all within an overall deadline; every final failure becomes an
/// <see cref="UpstreamException"/> with a one-line message.
/// </summary>
/// <remarks>
/// A stream is retried only while nothing has reached the caller: updates that show nothing (such as the
/// role-only first chunk of an OpenAI stream) are held back until the first one with content. Once an update has
/// been yielded, the deadline stops applying and a failure is thrown as an <see cref="UpstreamException"/> and never
/// retried, so the caller never sees text twice. Cancellation by the caller is never retried and surfaces as
/// <see cref="OperationCanceledException"/>. The inner client should not retry on its own (disable the SDK's retry
/// policy), or the attempts multiply.
/// </remarks>
public sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly RetryPipeline _pipeline;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client that talks to the endpoint.</param>
    /// <param name="options">Retry settings; <see langword="null"/> for the defaults. Copied and validated here.</param>
    /// <param name="logger">Receives a warning per retry and an error on giving up; no message content is logged.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public RetryingChatClient(IChatClient innerClient, RetryOptions? options = null, ILogger? logger = null)
        : base(innerClient)
    {
        _pipeline = new RetryPipeline(options, logger);
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = (Inner: InnerClient, History: Materialize(messages), Options: options);
        return _pipeline.ExecuteAsync(_pipeline.Begin(cancellationToken), static (token, r) => new ValueTask<ChatResponse>(r.Inner.GetResponseAsync(r.History, r.Options, token)), request).AsTask();
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var call = _pipeline.Begin(cancellationToken);
        var request = (Inner: InnerClient, History: Materialize(messages), Options: options, Caller: cancellationToken);
        var start = await _pipeline.ExecuteAsync(call, static (token, r) => StartAsync(r.Inner, r.History, r.Options, r.Caller, token), request).ConfigureAwait(false);
        try
        {
            foreach (var update in start.HeldBack)
            {
                yield return update;
            }

            if (start.Ended)
            {
                yield break;
            }

            var delivered = start.HeldBack.Count;
            while (await MoveNextAfterStartAsync(start.Stream, call, delivered).ConfigureAwait(false))
            {
                delivered++;
                yield return start.Stream.Current;
            }
        }
        finally
        {
            await start.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One attempt at a stream: reads until the first update that shows anything (or the end).</summary>
    /// <remarks>
    /// The stream runs on a token of its own, cancelled by the caller and, only until this returns, by the
    /// attempt's token (the deadline): the pipeline's token does not outlive the attempt, and a started stream must.
    /// </remarks>
    private static async ValueTask<StreamStart> StartAsync(
        IChatClient inner, IEnumerable<ChatMessage> history, ChatOptions? options, CancellationToken callerToken, CancellationToken attemptToken)
    {
        var streamToken = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        IAsyncEnumerator<ChatResponseUpdate>? stream = null;
        try
        {
            var heldBack = new List<ChatResponseUpdate>();
            var ended = false;
            using (attemptToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), streamToken))
            {
                stream = inner.GetStreamingResponseAsync(history, options, streamToken.Token).GetAsyncEnumerator(streamToken.Token);
                while (true)
                {
                    if (!await stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        ended = true;
                        break;
                    }

                    heldBack.Add(stream.Current);
                    if (ShowsAnything(stream.Current))
                    {
                        break;
                    }
                }
            }

            // The deadline may have passed just as the first update arrived: then this attempt is cut, not started.
            streamToken.Token.ThrowIfCancellationRequested();
            return new StreamStart(stream, streamToken, heldBack, ended);
        }
        catch (Exception)
        {
            await DisposeQuietlyAsync(stream).ConfigureAwait(false);
            streamToken.Dispose();
            throw;
        }
    }

    // Updates that carry nothing a user would see (the role-only first chunk of an OpenAI stream) are held back,
    // so that a stream cut right after them can still be retried without the caller seeing anything twice.
    private static bool ShowsAnything(ChatResponseUpdate update) =>
        update.Contents.Any(content => content is not TextContent { Text.Length: 0 });

    private static async ValueTask<bool> MoveNextAfterStartAsync(IAsyncEnumerator<ChatResponseUpdate> stream, RetryState call, int delivered)
    {
        try
        {
            return await stream.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw call.StreamBroke(ex, delivered);
        }
    }

    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate>? stream)
    {
        if (stream is null)
        {
            return;
        }

        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The attempt already failed; a second error from tearing down its broken stream adds nothing.
        }
    }

    // Retries send the same history again, so a lazy sequence must not be enumerated twice.
    private static IEnumerable<ChatMessage> Materialize(IEnumerable<ChatMessage> messages) =>
        messages is ICollection<ChatMessage> or IReadOnlyCollection<ChatMessage> ? messages : [.. messages];

    /// <summary>A stream that has started: the updates read so far, and what the rest is read with.</summary>
    private sealed record StreamStart(IAsyncEnumerator<ChatResponseUpdate> Stream, CancellationTokenSource Token, List<ChatResponseUpdate> HeldBack, bool Ended) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await Stream.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                Token.Dispose();
            }
        }
    }
}
