using System.Text.Json.Nodes;
using Parley.Core.Conversations;

namespace Parley.Cli.Rendering;

/// <summary>How a <see cref="ConversationEvent"/> looks in <c>ask --json</c> and <c>sessions show --json</c>.</summary>
internal static class EventJson
{
    /// <summary>The events as a JSON array; <paramref name="withPlace"/> adds where each happened in the conversation.</summary>
    public static JsonArray From(IEnumerable<ConversationEvent> events, bool withPlace) =>
        new([.. events.Select(e =>
        {
            var node = new JsonObject
            {
                ["kind"] = e.Kind,
                ["timestamp"] = e.Timestamp,
                ["detail"] = e.Detail,
                ["data"] = e.Data is null ? null : new JsonObject([.. e.Data.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            };
            if (withPlace)
            {
                node["after_messages"] = e.AfterMessages;
            }

            return (JsonNode)node;
        })]);

    /// <summary>One line for people: <c>· handoff: asked for a person (reason=request)</c>.</summary>
    public static string Line(ConversationEvent e)
    {
        var data = e.Data is { Count: > 0 } ? " (" + string.Join(", ", e.Data.Select(p => $"{p.Key}={p.Value}")) + ")" : "";
        return $"  · {e.Kind}{(e.Detail is null ? "" : ": " + e.Detail)}{data}";
    }
}
