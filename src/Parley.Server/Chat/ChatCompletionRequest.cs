using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Parley.Server.Errors;
using Parley.Server.Hosting;

namespace Parley.Server.Chat;

/// <summary>The fields of a chat completion request that the server acts on; other fields are accepted and ignored.</summary>
internal sealed class ChatCompletionRequest
{
    public required string Model { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }

    public int? MaxTokens { get; init; }

    public float? Temperature { get; init; }

    public float? TopP { get; init; }

    public long? Seed { get; init; }

    public IReadOnlyList<string>? Stop { get; init; }

    /// <summary>The client's tools as declarations, passed to upstream models; bots run their own tools.</summary>
    public IList<AITool>? Tools { get; init; }

    public ChatToolMode? ToolMode { get; init; }

    /// <summary>The requested <c>response_format</c>; null when the request has none.</summary>
    public ChatResponseFormat? ResponseFormat { get; init; }

    /// <summary><c>response_format.json_schema.strict</c>; null when not given.</summary>
    public bool? ResponseFormatStrict { get; init; }

    /// <summary>Whether the reply's <c>parley</c> field should explain it (<c>"parley": {"explain": true}</c>; bots only).</summary>
    public bool Explain { get; init; }

    /// <summary>The end user's id (<c>user</c>), passed to upstream models.</summary>
    public string? User { get; init; }

    /// <summary>Reads and validates the request; an invalid field is a 400 that names it.</summary>
    public static ChatCompletionRequest Parse(JsonObject body)
    {
        var model = JsonFields.String(body, "model");
        if (string.IsNullOrWhiteSpace(model))
        {
            throw ApiException.Invalid("model", "'model' is required: a model id from GET /v1/models");
        }

        _ = JsonFields.Integer(body, "n", 1, 1);

        var maxTokens = JsonFields.Integer(body, "max_completion_tokens", 1, int.MaxValue) ?? JsonFields.Integer(body, "max_tokens", 1, int.MaxValue);
        var includeUsage = body["stream_options"] switch
        {
            null => false,
            JsonObject o => JsonFields.Bool(o, "include_usage") ?? false,
            _ => throw ApiException.Invalid("stream_options", "'stream_options' must be an object"),
        };
        var (responseFormat, strict) = ResponseFormatWire.Parse(body["response_format"]);
        return new ChatCompletionRequest
        {
            Model = model,
            Messages = ParseMessages(body["messages"]),
            Stream = JsonFields.Bool(body, "stream") ?? false,
            IncludeUsage = includeUsage,
            MaxTokens = (int?)maxTokens,
            Temperature = (float?)JsonFields.Number(body, "temperature", 0, 2),
            TopP = (float?)JsonFields.Number(body, "top_p", 0, 1),
            Seed = JsonFields.Integer(body, "seed", long.MinValue, long.MaxValue),
            Stop = ParseStop(body["stop"]),
            Tools = ToolWire.ParseTools(body["tools"]),
            ToolMode = ToolWire.ParseToolChoice(body["tool_choice"]),
            ResponseFormat = responseFormat,
            ResponseFormatStrict = strict,
            User = JsonFields.String(body, "user"),
            Explain = body["parley"] switch
            {
                null => false,
                JsonObject o => JsonFields.Bool(o, "explain") ?? false,
                _ => throw ApiException.Invalid("parley", "'parley' must be an object, e.g. {\"explain\": true}"),
            },
        };
    }

    private static List<ChatMessage> ParseMessages(JsonNode? node)
    {
        if (node is not JsonArray array || array.Count == 0)
        {
            throw ApiException.Invalid("messages", "'messages' must be a non-empty array of messages");
        }

        var messages = new List<ChatMessage>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var param = $"messages[{i}]";
            if (array[i] is not JsonObject message)
            {
                throw ApiException.Invalid(param, $"'{param}' must be an object with 'role' and 'content'");
            }

            var role = message["role"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
            var chatRole = role switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                "tool" => ChatRole.Tool,
                _ => throw ApiException.Invalid($"{param}.role", $"'{param}.role' must be one of system, developer, user, assistant, tool"),
            };
            var calls = chatRole == ChatRole.Assistant ? ToolWire.ParseToolCalls(message["tool_calls"], $"{param}.tool_calls").ToList() : [];
            var text = ParseContent(message["content"], $"{param}.content", chatRole == ChatRole.Assistant);
            if (chatRole == ChatRole.Tool)
            {
                if (message["tool_call_id"] is not JsonValue callId || callId.GetValueKind() != JsonValueKind.String || callId.GetValue<string>().Length == 0)
                {
                    throw ApiException.Invalid($"{param}.tool_call_id", $"'{param}.tool_call_id' is required for a tool message: the id of the assistant's tool call it answers");
                }

                messages.Add(new ChatMessage(chatRole, [new FunctionResultContent(callId.GetValue<string>(), text)]));
            }
            else if (calls.Count > 0)
            {
                messages.Add(new ChatMessage(chatRole, [.. text.Length > 0 ? [new TextContent(text)] : Array.Empty<AIContent>(), .. calls]));
            }
            else
            {
                messages.Add(new ChatMessage(chatRole, text));
            }
        }

        return messages;
    }

    private static string ParseContent(JsonNode? content, string param, bool mayBeEmpty)
    {
        switch (content)
        {
            case null when mayBeEmpty:
                return string.Empty;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return v.GetValue<string>();
            case JsonArray parts:
                var text = new StringBuilder();
                for (var i = 0; i < parts.Count; i++)
                {
                    if (parts[i] is not JsonObject part || part["type"]?.GetValueKind() != JsonValueKind.String)
                    {
                        throw ApiException.Invalid($"{param}[{i}]", $"'{param}[{i}]' must be an object with a 'type'");
                    }

                    if ((string?)part["type"] != "text" || part["text"]?.GetValueKind() != JsonValueKind.String)
                    {
                        throw ApiException.Invalid($"{param}[{i}]", $"'{param}[{i}]': only text parts ({{\"type\":\"text\",\"text\":...}}) are supported");
                    }

                    text.Append((string?)part["text"]);
                }

                return text.ToString();
            default:
                throw ApiException.Invalid(param, $"'{param}' must be a string or an array of text parts");
        }
    }

    private static string[]? ParseStop(JsonNode? stop) => stop switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a when a.Count <= 4 && a.All(s => s?.GetValueKind() == JsonValueKind.String) => [.. a.Select(s => (string)s!)],
        _ => throw ApiException.Invalid("stop", "'stop' must be a string or an array of up to 4 strings"),
    };
}
