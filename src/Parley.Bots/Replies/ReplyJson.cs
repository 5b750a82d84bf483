using System.Text.Json;

namespace Parley.Bots.Replies;

/// <summary>JSON settings for reply information (snake_case, as in the CLI's and server's output).</summary>
public static class ReplyJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
