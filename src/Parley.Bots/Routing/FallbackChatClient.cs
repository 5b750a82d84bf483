using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;

namespace Parley.Bots.Routing;

/// <summary>
/// The innermost client of an offline bot: when neither a template nor the knowledge answered, it says honestly
/// that it does not know and offers a person (the bot's <c>fallback</c> text).
/// </summary>
public sealed class FallbackChatClient : IChatClient
{
    private readonly string _reply;

    /// <summary>Creates the client.</summary>
    /// <param name="reply">The fallback reply.</param>
    public FallbackChatClient(string reply)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reply);
        _reply = reply;
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(BotReply.Create(_reply, options, new BotReplyInfo(BotRoutes.Fallback, null, [])));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in BotReply.Stream(response))
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
