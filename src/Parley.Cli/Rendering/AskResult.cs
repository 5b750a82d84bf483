using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;

namespace Parley.Cli.Rendering;

/// <summary>The one JSON object <c>parley ask --json</c> prints.</summary>
internal static class AskResult
{
    /// <summary>Builds the object from a finished reply.</summary>
    public static JsonObject From(ChatResponse response, string? session)
    {
        var info = BotReplyInfo.From(response.AdditionalProperties);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToArray();
        var results = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>()
            .ToDictionary(r => r.CallId, r => r.Result, StringComparer.Ordinal);
        return new JsonObject
        {
            ["reply"] = response.Text,
            ["route"] = info.Route,
            ["intent"] = info.Intent is null ? null : new JsonObject { ["name"] = info.Intent.Name, ["confidence"] = info.Intent.Confidence },
            ["sources"] = new JsonArray(info.Sources.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["title"] = s.Title,
                ["source"] = s.Source,
                ["score"] = s.Score,
            }).ToArray()),
            ["tool_calls"] = info.ToolCalls is { Count: > 0 } records
                ? new JsonArray(records.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["arguments"] = JsonSerializer.SerializeToNode(c.Arguments, AIJsonUtilities.DefaultOptions),
                    ["result"] = c.Result,
                    ["approved"] = c.Approved,
                }).ToArray())
                : new JsonArray(calls.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["arguments"] = JsonSerializer.SerializeToNode(c.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions),
                    ["result"] = results.TryGetValue(c.CallId, out var result) ? JsonSerializer.SerializeToNode(result, AIJsonUtilities.DefaultOptions) : null,
                    ["approved"] = null,
                }).ToArray()),
            ["events"] = EventJson.From(Parley.Core.Conversations.ConversationEvents.From(response.AdditionalProperties), withPlace: false),
            ["session"] = session,
            ["usage"] = response.Usage is { } usage
                ? new JsonObject
                {
                    ["input_tokens"] = usage.InputTokenCount,
                    ["output_tokens"] = usage.OutputTokenCount,
                    ["total_tokens"] = usage.TotalTokenCount,
                }
                : null,
        };
    }

    /// <summary>Serializes the object on one line.</summary>
    public static string Serialize(JsonObject value) => value.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
