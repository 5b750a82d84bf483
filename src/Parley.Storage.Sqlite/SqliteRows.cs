using System.Globalization;
using Microsoft.Extensions.AI;
using Parley.Core.Conversations;

namespace Parley.Storage.Sqlite;

/// <summary>How values are written to and read from rows: message JSON, timestamps, ids and previews.</summary>
internal static class SqliteRows
{
    /// <summary>The longest preview <see cref="SqliteConversationStore.ListAsync"/> returns, in characters.</summary>
    public const int PreviewLength = ConversationRows.PreviewLength;

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    // The JSON every store writes (Parley.Core.Conversations.ConversationRows), so the backends agree.
    public static string SerializeMessage(ChatMessage message) => ConversationRows.SerializeMessage(message);

    public static ChatMessage DeserializeMessage(string json) => ConversationRows.DeserializeMessage(json);

    /// <summary>Writes a UTC timestamp with full precision in a form that sorts as text.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.ParseExact(value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>A new id: <c>s_</c> and 12 random base32 characters (60 bits).</summary>
    public static string NewId() => ConversationRows.NewId();

    /// <summary>The first <see cref="PreviewLength"/> characters of <paramref name="text"/> on one line, or <see langword="null"/> when it is blank.</summary>
    public static string? Preview(string? text) => ConversationRows.Preview(text);
}
