using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Parley.Testing;

/// <summary>
/// A hand-written <see cref="IChatClient"/> double: each member runs the callback a test sets, and counts calls.
/// Without a callback, responses echo the last message and streams yield it word by word.
/// </summary>
public sealed class TestChatClient : IChatClient
{
    private int _responseCalls;
    private int _streamingCalls;

    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? GetStreamingResponseAsyncCallback { get; set; }

    public Func<Type, object?, object?>? GetServiceCallback { get; set; }

    public int ResponseCalls => Volatile.Read(ref _responseCalls);

    public int StreamingCalls => Volatile.Read(ref _streamingCalls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _responseCalls);
        return GetResponseAsyncCallback is { } callback
            ? callback(messages, options, cancellationToken)
            : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo: " + messages.LastOrDefault()?.Text)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _streamingCalls);
        return GetStreamingResponseAsyncCallback is { } callback
            ? callback(messages, options, cancellationToken)
            : Updates(("echo: " + messages.LastOrDefault()?.Text).Split(' '));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        GetServiceCallback is { } callback ? callback(serviceType, serviceKey) : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>Yields one assistant text update per piece, then optionally throws <paramref name="thenThrow"/>.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Updates(
        IEnumerable<string> pieces, Exception? thenThrow = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var piece in pieces)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece);
        }

        if (thenThrow is not null)
        {
            throw thenThrow;
        }
    }
}
