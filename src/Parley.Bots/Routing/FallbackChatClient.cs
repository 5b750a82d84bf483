using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;

namespace Parley.Bots.Routing;

/// <summary>
/// The innermost client of an offline bot: when neither a template nor the knowledge answered, it says honestly
/// that it does not know and offers a person (the bot's <c>fallback</c> text). A message plainly written in another
/// of Parley's languages than the pack's (a Chinese question to an English bot) first gets a line in its own language
/// saying which language the bot understands (<see cref="BotMessages.OnlyLanguage"/>).
/// </summary>
public sealed class FallbackChatClient : IChatClient
{
    private readonly string _reply;
    private readonly string? _language;

    /// <summary>Creates the client.</summary>
    /// <param name="reply">The fallback reply.</param>
    /// <param name="language">The language the pack is written in (<see cref="BotLanguages"/>), or null to never add the line.</param>
    public FallbackChatClient(string reply, string? language = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reply);
        if (language is not null)
        {
            _ = BotMessages.For(language);
        }

        _reply = reply;
        _language = language;
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var reply = _reply;
        if (_language is not null && messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text is { } text
            && BotLanguages.Detect(text) is { } written && written != _language)
        {
            var theirs = BotMessages.For(written);
            reply = string.Format(CultureInfo.InvariantCulture, theirs.OnlyLanguage, theirs.LanguageNames[_language]) + "\n\n" + _reply;
        }

        return Task.FromResult(BotReply.Create(reply, options, new BotReplyInfo(BotRoutes.Fallback, null, [])));
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
