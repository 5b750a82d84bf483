using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Parley.Testing;

/// <summary>Builds OpenAI wire-format JSON (chat.completion, chat.completion.chunk, embeddings, errors) for <see cref="OpenAITestServer"/>.</summary>
internal static partial class OpenAIWire
{
    public static JsonObject Completion(string id, long created, string model, string? text, ServerStep? toolCall, int promptTokens)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = null };
        if (toolCall is not null)
        {
            message["tool_calls"] = new JsonArray([.. toolCall.ToolCalls.Select((call, index) => (JsonNode)ToolCallJson(call, index, call.Arguments, withHeader: true))]);
        }

        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = toolCall is null ? "stop" : "tool_calls",
            }),
            ["usage"] = Usage(promptTokens, toolCall is null ? Words(text ?? string.Empty).Count : 1),
            ["system_fingerprint"] = null,
        };
    }

    /// <summary>The SSE events of a streamed reply: role, one word (or argument piece) each, finish, and usage if asked.</summary>
    public static List<JsonObject> Chunks(string id, long created, string model, string? text, ServerStep? toolCall, int promptTokens, bool includeUsage)
    {
        var deltas = new List<JsonObject> { new() { ["role"] = "assistant", ["content"] = toolCall is null ? string.Empty : null } };
        int completionTokens;
        if (toolCall is null)
        {
            var words = Words(text ?? string.Empty);
            deltas.AddRange(words.Select(word => new JsonObject { ["content"] = word }));
            completionTokens = words.Count;
        }
        else
        {
            for (var index = 0; index < toolCall.ToolCalls.Count; index++)
            {
                var call = toolCall.ToolCalls[index];
                var half = call.Arguments.Length / 2;
                deltas.Add(new JsonObject { ["tool_calls"] = new JsonArray(ToolCallJson(call, index, string.Empty, withHeader: true)) });
                deltas.Add(new JsonObject { ["tool_calls"] = new JsonArray(ToolCallJson(call, index, call.Arguments[..half], withHeader: false)) });
                deltas.Add(new JsonObject { ["tool_calls"] = new JsonArray(ToolCallJson(call, index, call.Arguments[half..], withHeader: false)) });
            }

            completionTokens = toolCall.ToolCalls.Count;
        }

        var chunks = deltas.Select(delta => Chunk(id, created, model, delta, finishReason: null, includeUsage)).ToList();
        chunks.Add(Chunk(id, created, model, new JsonObject(), toolCall is null ? "stop" : "tool_calls", includeUsage));
        if (includeUsage)
        {
            var usage = Chunk(id, created, model, delta: null, finishReason: null, includeUsage: true);
            usage["usage"] = Usage(promptTokens, completionTokens);
            chunks.Add(usage);
        }

        return chunks;
    }

    public static JsonObject Error(int statusCode, string? message) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message ?? DefaultErrorMessage(statusCode),
            ["type"] = statusCode switch
            {
                429 => "rate_limit_exceeded",
                >= 500 => "server_error",
                401 => "authentication_error",
                _ => "invalid_request_error",
            },
            ["param"] = null,
            ["code"] = statusCode == 404 ? "model_not_found" : null,
        },
    };

    public static JsonObject Embeddings(string model, IReadOnlyList<string> inputs, int dimensions, bool base64)
    {
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = FakeVector(inputs[i], dimensions);
            JsonNode embedding = base64 ? JsonValue.Create(ToBase64(vector)) : new JsonArray([.. vector.Select(v => (JsonNode?)JsonValue.Create(v))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var tokens = inputs.Sum(input => Words(input).Count);
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
    }

    /// <summary>A unit vector that depends only on the text: equal texts embed equally, different ones differently.</summary>
    public static float[] FakeVector(string text, int dimensions)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        var random = new Random(unchecked((int)hash));
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    /// <summary>The text in pieces that join back to it exactly: each word with the whitespace after it.</summary>
    public static List<string> Words(string text)
    {
        var pieces = WordPattern().Matches(text).Select(match => match.Value).ToList();
        return pieces.Count == 0 ? [text] : pieces;
    }

    /// <summary>The text of a message's content, whether a string or an array of parts.</summary>
    public static string ContentText(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.Select(part => part?["text"]?.GetValue<string>() ?? string.Empty)),
        _ => string.Empty,
    };

    private static JsonObject Chunk(string id, long created, string model, JsonObject? delta, string? finishReason, bool includeUsage)
    {
        var chunk = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["system_fingerprint"] = null,
            ["choices"] = delta is null
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason }),
        };
        if (includeUsage)
        {
            chunk["usage"] = null;
        }

        return chunk;
    }

    private static JsonObject ToolCallJson(ScriptedToolCall scripted, int index, string arguments, bool withHeader)
    {
        var function = new JsonObject();
        if (withHeader)
        {
            function["name"] = scripted.Name;
        }

        function["arguments"] = arguments;
        var call = new JsonObject { ["index"] = index };
        if (withHeader)
        {
            call["id"] = scripted.Id;
            call["type"] = "function";
        }

        call["function"] = function;
        return call;
    }

    private static JsonObject Usage(int promptTokens, int completionTokens) => new()
    {
        ["prompt_tokens"] = promptTokens,
        ["completion_tokens"] = completionTokens,
        ["total_tokens"] = promptTokens + completionTokens,
    };

    private static string DefaultErrorMessage(int statusCode) => statusCode switch
    {
        400 => "Invalid request.",
        401 => "Incorrect API key provided.",
        404 => "The model does not exist or you do not have access to it.",
        408 => "Request timed out.",
        429 => "Rate limit reached. Please try again later.",
        _ when statusCode >= 500 => "The server had an error while processing your request.",
        _ => "Request failed.",
    };

    private static string ToBase64(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    [GeneratedRegex(@"\s*\S+\s*")]
    private static partial Regex WordPattern();
}
