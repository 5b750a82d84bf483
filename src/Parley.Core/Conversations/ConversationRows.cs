using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Parley.Core.Conversations;

/// <summary>
/// How every <see cref="IConversationStore"/> writes a conversation's parts, so the backends store the same JSON and
/// list the same previews: messages as compact JSON with the resolver of <c>AIJsonUtilities.DefaultOptions</c>,
/// generated ids, and one-line previews.
/// </summary>
public static class ConversationRows
{
    /// <summary>The longest preview <see cref="Preview"/> returns, in characters: 60.</summary>
    public const int PreviewLength = 60;

    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

    // AIJsonUtilities.DefaultOptions (its resolver knows every AIContent type), written compactly:
    // the defaults indent, which only costs space here.
    private static readonly JsonTypeInfo<ChatMessage> s_messageTypeInfo = CreateMessageTypeInfo();

    /// <summary>Serializes <paramref name="message"/> to compact JSON.</summary>
    /// <exception cref="JsonException">A value cannot be serialized.</exception>
    /// <exception cref="NotSupportedException">A content type is not registered.</exception>
    public static string SerializeMessage(ChatMessage message) => JsonSerializer.Serialize(message, s_messageTypeInfo);

    /// <summary>Reads a message written by <see cref="SerializeMessage"/>.</summary>
    /// <exception cref="JsonException">The JSON is not a message.</exception>
    public static ChatMessage DeserializeMessage(string json) =>
        JsonSerializer.Deserialize(json, s_messageTypeInfo) ?? throw new JsonException("The stored message is JSON null.");

    /// <summary>A new conversation id: <c>s_</c> and 12 random base32 characters (60 bits).</summary>
    public static string NewId() => "s_" + RandomNumberGenerator.GetString(IdAlphabet, 12);

    /// <summary>The first <see cref="PreviewLength"/> characters of <paramref name="text"/> on one line, or <see langword="null"/> when it is blank.</summary>
    public static string? Preview(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = new StringBuilder(Math.Min(text.Length, PreviewLength + 1));
        bool space = false;
        foreach (char c in text.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            line.Append(c);
            if (line.Length > PreviewLength)
            {
                break;
            }
        }

        if (line.Length <= PreviewLength)
        {
            return line.ToString();
        }

        int cut = PreviewLength - 1;
        if (char.IsHighSurrogate(line[cut - 1]))
        {
            cut--;
        }

        return line.ToString(0, cut).TrimEnd() + "…";
    }

    private static JsonTypeInfo<ChatMessage> CreateMessageTypeInfo()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return (JsonTypeInfo<ChatMessage>)options.GetTypeInfo(typeof(ChatMessage));
    }
}
