using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;

namespace Parley.Bots.Tools;

/// <summary>
/// An unfinished tool call of an offline bot: the slots filled so far, and what the bot asked for (a slot, or approval).
/// Kept on the bot's reply (property <see cref="Key"/>), so it is stored with the conversation and the next turn of the
/// same session — even in another process — continues it.
/// </summary>
public sealed record ToolForm
{
    /// <summary>The reply property that holds the form.</summary>
    public const string Key = "parley.form";

    /// <summary>The intent that started the form.</summary>
    [JsonPropertyName("intent")]
    public required string Intent { get; init; }

    /// <summary>The tool it fills.</summary>
    [JsonPropertyName("tool")]
    public required string Tool { get; init; }

    /// <summary>The slots filled so far.</summary>
    [JsonPropertyName("slots")]
    public Dictionary<string, string> Slots { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The slot the bot asked for, or null.</summary>
    [JsonPropertyName("awaiting")]
    public string? Awaiting { get; init; }

    /// <summary>Whether the bot asked the user to approve the call.</summary>
    [JsonPropertyName("approval")]
    public bool AwaitingApproval { get; init; }

    /// <summary>The form a reply left open, or null.</summary>
    public static ToolForm? From(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(Key, out var value)
            ? value switch
            {
                ToolForm form => form,
                JsonElement { ValueKind: JsonValueKind.Object } json => json.Deserialize<ToolForm>(ReplyJson.Options),
                _ => null,
            }
            : null;

    /// <summary>Whether a finished reply waits for the user's approval of a tool call.</summary>
    public static bool IsAwaitingApproval(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return (From(response.AdditionalProperties) ?? From(response.Messages.LastOrDefault()?.AdditionalProperties))?.AwaitingApproval == true
            || response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Any();
    }
}
