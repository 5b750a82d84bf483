using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Parley.Storage.Sqlite;

/// <summary>How values are written to and read from rows: message JSON, timestamps, ids and previews.</summary>
internal static class SqliteRows
{
    /// <summary>The longest preview <see cref="SqliteConversationStore.ListAsync"/> returns, in characters.</summary>
    public const int PreviewLength = 60;

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

    // AIJsonUtilities.DefaultOptions (its resolver knows every AIContent type), written compactly:
    // the defaults indent, which only costs disk space here.
    private static readonly JsonTypeInfo<ChatMessage> s_messageTypeInfo = CreateMessageTypeInfo();

    public static string SerializeMessage(ChatMessage message) => JsonSerializer.Serialize(message, s_messageTypeInfo);

    public static ChatMessage DeserializeMessage(string json) =>
        JsonSerializer.Deserialize(json, s_messageTypeInfo) ?? throw new JsonException("The stored message is JSON null.");

    /// <summary>Writes a UTC timestamp with full precision in a form that sorts as text.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.ParseExact(value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>A new id: <c>s_</c> and 12 random base32 characters (60 bits).</summary>
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
