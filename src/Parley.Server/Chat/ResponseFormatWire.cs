using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Parley.Server.Errors;

namespace Parley.Server.Chat;

/// <summary>Converts OpenAI's <c>response_format</c> (<c>text</c>, <c>json_object</c>, <c>json_schema</c>) to a <see cref="ChatResponseFormat"/>.</summary>
internal static class ResponseFormatWire
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key Microsoft.Extensions.AI.OpenAI reads <c>json_schema.strict</c> from.</summary>
    public const string StrictKey = "strict";

    private const string Param = "response_format";

    /// <summary>The format and, for <c>json_schema</c>, its <c>strict</c> flag; null when the field is absent.</summary>
    public static (ChatResponseFormat? Format, bool? Strict) Parse(JsonNode? node)
    {
        if (node is null)
        {
            return (null, null);
        }

        if (node is not JsonObject format || format["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String)
        {
            throw ApiException.Invalid(Param, "'response_format' must be an object with a 'type': text, json_object or json_schema");
        }

        return type.GetValue<string>() switch
        {
            "text" => (ChatResponseFormat.Text, null),
            "json_object" => (ChatResponseFormat.Json, null),
            "json_schema" => ParseSchema(format["json_schema"]),
            var other => throw ApiException.Invalid($"{Param}.type", $"'response_format.type' must be text, json_object or json_schema (was '{other}')"),
        };
    }

    /// <summary>Refuses a JSON <paramref name="format"/> for a model that answers in text only (a bot, a fine-tuned model).</summary>
    /// <exception cref="ApiException">400 naming <c>response_format</c>.</exception>
    public static void RequireText(ChatResponseFormat? format, string model, string kind)
    {
        if (format is not null and not ChatResponseFormatText)
        {
            throw ApiException.Invalid("response_format", $"the {kind} '{model}' does not support response_format '{Name(format)}'; it answers in text (use 'text' or leave it out)");
        }
    }

    /// <summary>The wire name of <paramref name="format"/>: <c>text</c>, <c>json_object</c> or <c>json_schema</c>.</summary>
    public static string Name(ChatResponseFormat format) => format switch
    {
        ChatResponseFormatJson { Schema: not null } => "json_schema",
        ChatResponseFormatJson => "json_object",
        _ => "text",
    };

    private static (ChatResponseFormat, bool?) ParseSchema(JsonNode? node)
    {
        const string at = Param + ".json_schema";
        if (node is not JsonObject schema)
        {
            throw ApiException.Invalid(at, "'response_format.json_schema' must be an object with 'name' and 'schema' when 'type' is json_schema");
        }

        if (schema["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String || !IsValidName(name.GetValue<string>()))
        {
            throw ApiException.Invalid($"{at}.name", "'response_format.json_schema.name' must be a string of 1 to 64 letters, digits, '_' or '-'");
        }

        if (schema["schema"] is not JsonObject body)
        {
            throw ApiException.Invalid($"{at}.schema", "'response_format.json_schema.schema' must be a JSON schema object");
        }

        var description = schema["description"] switch
        {
            null => null,
            JsonValue d when d.GetValueKind() == JsonValueKind.String => d.GetValue<string>(),
            _ => throw ApiException.Invalid($"{at}.description", "'response_format.json_schema.description' must be a string"),
        };
        bool? strict = schema["strict"] switch
        {
            null => null,
            JsonValue s when s.GetValueKind() is JsonValueKind.True or JsonValueKind.False => s.GetValue<bool>(),
            _ => throw ApiException.Invalid($"{at}.strict", "'response_format.json_schema.strict' must be true or false"),
        };
        return (ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(body), name.GetValue<string>(), description), strict);
    }

    private static bool IsValidName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
