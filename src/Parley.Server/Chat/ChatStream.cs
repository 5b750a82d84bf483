using System.Globalization;
using Microsoft.Extensions.AI;
using Parley.Server.Errors;

namespace Parley.Server.Chat;

/// <summary>
/// A model's streamed reply read under the server's limits: the whole stream within
/// <see cref="ParleyServerOptions.StreamTimeout"/>, each update within <see cref="ParleyServerOptions.StreamIdleTimeout"/>
/// of the one before. <see cref="StartAsync"/> waits for the first update, so a model that fails before it has said
/// anything fails before the response starts and the client gets an HTTP error status.
/// </summary>
internal sealed class ChatStream : IAsyncDisposable
{
    private readonly CancellationToken _caller;
    private readonly CancellationTokenSource _total;
    private readonly CancellationTokenSource _idle;
    private readonly CancellationTokenSource _linked;
    private readonly TimeSpan _totalTimeout;
    private readonly TimeSpan _idleTimeout;
    private IAsyncEnumerator<ChatResponseUpdate>? _source;
    private Task<bool>? _move;
    private bool _replayFirst;
    private bool _hasFirst;

    private ChatStream(ParleyServerOptions options, CancellationToken cancellationToken)
    {
        _caller = cancellationToken;
        _totalTimeout = options.StreamTimeout;
        _idleTimeout = options.StreamIdleTimeout;
        _total = new CancellationTokenSource(_totalTimeout, options.TimeProvider);
        _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.TimeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _total.Token, _idle.Token);
    }

    /// <summary>The current update.</summary>
    public ChatResponseUpdate Current => _source!.Current;

    /// <summary>Opens the stream and waits for its first update (or its end).</summary>
    /// <param name="open">Opens the model's stream with the token it must honour.</param>
    /// <param name="model">The model the client asked for, for errors and logs.</param>
    /// <param name="context">The server's stream limits, clock and logger.</param>
    /// <param name="cancellationToken">The request's token: the client went away.</param>
    /// <exception cref="ApiException">The model failed or passed a limit before its first update (429, 502 or 504).</exception>
    public static async Task<ChatStream> StartAsync(
        Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> open, string model, StreamContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(open, context.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (UpstreamErrors.IsUpstream(e) && !cancellationToken.IsCancellationRequested)
        {
            throw UpstreamErrors.ToApiException(e, model, context.Logger, context.PassThrough);
        }
    }

    private static async Task<ChatStream> OpenAsync(
        Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> open, ParleyServerOptions options, CancellationToken cancellationToken)
    {
        var stream = new ChatStream(options, cancellationToken);
        try
        {
            stream._source = open(stream._linked.Token).GetAsyncEnumerator(stream._linked.Token);
            stream._hasFirst = await stream.MoveNextCoreAsync().ConfigureAwait(false);
            stream._replayFirst = true;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Moves to the next update; false at the end.</summary>
    /// <exception cref="StreamTimeoutException">A limit passed.</exception>
    public async ValueTask<bool> MoveNextAsync()
    {
        if (_replayFirst)
        {
            _replayFirst = false;
            return _hasFirst;
        }

        return await MoveNextCoreAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Moves to the next update; on failure (other than the client going away) returns the error event to send in its
    /// place, after logging it.
    /// </summary>
    public async ValueTask<(bool More, ApiException? Failure)> TryMoveNextAsync(string model, StreamContext context)
    {
        try
        {
            return (await MoveNextAsync().ConfigureAwait(false), null);
        }
        catch (Exception e) when (!_caller.IsCancellationRequested)
        {
            var failure = UpstreamErrors.ForStream(e, model, context.Logger, context.PassThrough);
            context.Metrics.RecordError(failure.Type, failure.Code);
            return (false, failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_move is { IsCompleted: false } move)
        {
            // The limits cancelled the model's stream; give it a moment to notice before it is disposed, since an
            // enumerator must not be disposed while a move is running. One that ignores cancellation is left behind.
            try
            {
                await move.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Its failure was already reported (or it is the cancellation itself).
            }
        }

        if (_source is not null && _move is null or { IsCompleted: true })
        {
            try
            {
                await _source.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_linked.IsCancellationRequested)
            {
                // Tearing down a stream the limits or the client cut can fail again; that adds nothing.
            }
        }

        _linked.Dispose();
        _idle.Dispose();
        _total.Dispose();
    }

    private async ValueTask<bool> MoveNextCoreAsync()
    {
        _idle.CancelAfter(_idleTimeout);
        _move = _source!.MoveNextAsync().AsTask();
        try
        {
            return await _move.WaitAsync(_linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!_caller.IsCancellationRequested && (_total.IsCancellationRequested || _idle.IsCancellationRequested))
        {
            throw new StreamTimeoutException(_total.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"The reply passed the server's limit of {_totalTimeout.TotalSeconds:0.#} s for one stream and was cut.")
                : string.Create(CultureInfo.InvariantCulture, $"The model sent nothing for {_idleTimeout.TotalSeconds:0.#} s, the server's limit between two updates; the reply was cut."), e);
        }
        finally
        {
            _idle.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }
}
