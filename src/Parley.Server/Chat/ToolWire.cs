using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Parley.Server.Errors;

namespace Parley.Server.Chat;

/// <summary>Converts OpenAI's <c>tools</c>, <c>tool_choice</c> and tool-call messages to and from Microsoft.Extensions.AI types.</summary>
internal static class ToolWire
{
    /// <summary>Declaration-only functions for <c>tools</c>: the upstream model calls them, the client runs them.</summary>
    public static List<AITool>? ParseTools(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw ApiException.Invalid("tools", "'tools' must be an array of {\"type\":\"function\",\"function\":{...}}");
        }

        var tools = new List<AITool>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var param = $"tools[{i}]";
            if (array[i] is not JsonObject tool || (string?)tool["type"] != "function" || tool["function"] is not JsonObject function
                || function["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
            {
                throw ApiException.Invalid(param, $"'{param}' must be {{\"type\":\"function\",\"function\":{{\"name\":...}}}}");
            }

            var description = function["description"] is JsonValue d && d.GetValueKind() == JsonValueKind.String ? d.GetValue<string>() : null;
            var schema = function["parameters"] switch
            {
                null => JsonSerializer.SerializeToElement(new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() }),
                JsonObject parameters => JsonSerializer.SerializeToElement(parameters),
                _ => throw ApiException.Invalid($"{param}.function.parameters", $"'{param}.function.parameters' must be a JSON schema object"),
            };
            tools.Add(AIFunctionFactory.CreateDeclaration(name.GetValue<string>(), description, schema));
        }

        return tools;
    }

    /// <summary>The tool mode for <c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c> or a named function.</summary>
    public static ChatToolMode? ParseToolChoice(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
        {
            "none" => ChatToolMode.None,
            "auto" => ChatToolMode.Auto,
            "required" => ChatToolMode.RequireAny,
            var other => throw ApiException.Invalid("tool_choice", $"'tool_choice' must be none, auto, required or a function (was '{other}')"),
        },
        JsonObject o when o["function"]?["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String => ChatToolMode.RequireSpecific(name.GetValue<string>()),
        _ => throw ApiException.Invalid("tool_choice", "'tool_choice' must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}"),
    };

    /// <summary>The function calls of an assistant message's <c>tool_calls</c>.</summary>
    public static IEnumerable<AIContent> ParseToolCalls(JsonNode? node, string param)
    {
        if (node is null)
        {
            yield break;
        }

        if (node is not JsonArray calls)
        {
            throw ApiException.Invalid(param, $"'{param}' must be an array of tool calls");
        }

        for (var i = 0; i < calls.Count; i++)
        {
            var at = $"{param}[{i}]";
            var call = calls[i] as JsonObject;
            if (call?["id"] is not JsonValue id || id.GetValueKind() != JsonValueKind.String
                || call["function"] is not JsonObject function || function["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
            {
                throw ApiException.Invalid(at, $"'{at}' must be {{\"id\":...,\"type\":\"function\",\"function\":{{\"name\":...,\"arguments\":\"{{...}}\"}}}}");
            }

            Dictionary<string, object?>? arguments;
            try
            {
                arguments = function["arguments"] is JsonValue a && a.GetValueKind() == JsonValueKind.String && a.GetValue<string>() is { Length: > 0 } json
                    ? JsonSerializer.Deserialize<Dictionary<string, object?>>(json, AIJsonUtilities.DefaultOptions)
                    : null;
            }
            catch (JsonException e)
            {
                throw ApiException.Invalid($"{at}.function.arguments", $"'{at}.function.arguments' is not a JSON object: {e.Message}");
            }

            yield return new FunctionCallContent(id.GetValue<string>(), name.GetValue<string>(), arguments);
        }
    }

    /// <summary>The OpenAI tool calls of a reply's function calls.</summary>
    public static List<ToolCall> ToToolCalls(IEnumerable<AIContent> contents) =>
        [.. contents.OfType<FunctionCallContent>().Select(c => new ToolCall(c.CallId, new ToolCallFunction(c.Name, Arguments(c))))];

    private static string Arguments(FunctionCallContent call) =>
        call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions);
}
