using Microsoft.Extensions.AI;

namespace Parley.Bots.Replies;

/// <summary>Helpers the bot middleware shares to read the user's message and to produce or annotate replies.</summary>
internal static class BotReply
{
    /// <summary>The text of the last message when it is the user's, else null.</summary>
    public static string? LastUserText(IEnumerable<ChatMessage> messages) =>
        messages.LastOrDefault() is { Role: var role } last && role == ChatRole.User && !string.IsNullOrWhiteSpace(last.Text)
            ? last.Text
            : null;

    /// <summary>A complete reply answered locally, with its reply information.</summary>
    public static ChatResponse Create(string text, ChatOptions? options, BotReplyInfo info)
    {
        var properties = new AdditionalPropertiesDictionary();
        info.WriteTo(properties);
        var message = new ChatMessage(ChatRole.Assistant, text) { MessageId = NewId() };
        ReplyCitations.Attach(message, [.. info.Sources.Select(source => ReplyCitations.Create(source, 0, text.Length))]);
        return new ChatResponse(message)
        {
            ResponseId = NewId(),
            ModelId = options?.ModelId,
            FinishReason = ChatFinishReason.Stop,
            AdditionalProperties = properties,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>The same reply as <see cref="Create"/>, as streamed updates.</summary>
    public static IEnumerable<ChatResponseUpdate> Stream(ChatResponse response) => response.ToChatResponseUpdates();

    /// <summary>An update that carries only properties: appended to a stream so they reach the merged response.</summary>
    public static ChatResponseUpdate PropertiesUpdate(Action<AdditionalPropertiesDictionary> write)
    {
        var properties = new AdditionalPropertiesDictionary();
        write(properties);
        return new ChatResponseUpdate { Role = ChatRole.Assistant, AdditionalProperties = properties };
    }

    private static string NewId() => "parley-" + Guid.NewGuid().ToString("N")[..16];
}
