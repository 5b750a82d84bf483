using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Parley.Core.Resilience;

/// <summary>
/// Chat-client middleware that retries transient failures of the model endpoint (rate limits, 5xx, broken
/// connections, timeouts) with exponential backoff and jitter, within an overall deadline, and turns every
/// final failure into an <see cref="UpstreamException"/> with a one-line message.
/// </summary>
/// <remarks>
/// A stream is retried only while nothing has reached the caller: updates that show nothing (such as the
/// role-only first chunk of an OpenAI stream) are held back until the first one with content. Once an update has
/// been yielded, a failure is thrown as an <see cref="UpstreamException"/> and never retried, so the caller never
/// sees text twice. Cancellation by the
/// caller is never retried and surfaces as <see cref="OperationCanceledException"/>. The inner client should not
/// retry on its own (disable the SDK's retry policy), or the attempts multiply.
/// </remarks>
public sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly RetryOptions _options;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client that talks to the endpoint.</param>
    /// <param name="options">Retry settings; <see langword="null"/> for the defaults. Copied and validated here.</param>
    /// <param name="logger">Receives a warning per retry and an error on giving up; no message content is logged.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public RetryingChatClient(IChatClient innerClient, RetryOptions? options = null, ILogger? logger = null)
        : base(innerClient)
    {
        _options = (options ?? new RetryOptions()).Clone();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = Materialize(messages);
        using var call = new RetryCall(_options, _logger, cancellationToken);
        while (true)
        {
            call.BeginAttempt();
            Exception failure;
            try
            {
                return await base.GetResponseAsync(history, options, call.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            await call.HandleFailureAsync(failure).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = Materialize(messages);
        using var call = new RetryCall(_options, _logger, cancellationToken);
        while (true)
        {
            call.BeginAttempt();
            IAsyncEnumerator<ChatResponseUpdate>? stream = null;
            var heldBack = new List<ChatResponseUpdate>();
            var ended = false;
            Exception? failure = null;
            try
            {
                stream = base.GetStreamingResponseAsync(history, options, call.Token).GetAsyncEnumerator(call.Token);
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
            catch (Exception ex)
            {
                failure = ex;
            }

            if (failure is not null)
            {
                await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                await call.HandleFailureAsync(failure).ConfigureAwait(false);
                continue;
            }

            try
            {
                call.ReleaseDeadline();
                foreach (var update in heldBack)
                {
                    yield return update;
                }

                if (ended)
                {
                    yield break;
                }

                var delivered = heldBack.Count;
                while (await MoveNextAfterStartAsync(stream!, call, delivered).ConfigureAwait(false))
                {
                    delivered++;
                    yield return stream!.Current;
                }

                yield break;
            }
            finally
            {
                await stream!.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // Updates that carry nothing a user would see (the role-only first chunk of an OpenAI stream) are held back,
    // so that a stream cut right after them can still be retried without the caller seeing anything twice.
    private static bool ShowsAnything(ChatResponseUpdate update) =>
        update.Contents.Any(content => content is not TextContent { Text.Length: 0 });

    private static async ValueTask<bool> MoveNextAfterStartAsync(IAsyncEnumerator<ChatResponseUpdate> stream, RetryCall call, int delivered)
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
}
