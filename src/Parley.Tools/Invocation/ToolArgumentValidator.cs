using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Parley.Tools.Invocation;

/// <summary>
/// Checks call arguments against the subset of JSON Schema that <see cref="AIFunctionFactory"/> writes for a method:
/// required properties, and the <c>type</c> (string, integer, number, boolean, or a list of them with <c>null</c>) and
/// <c>enum</c> of each property. Properties the schema does not name are left alone, as the schema allows them.
/// </summary>
public static class ToolArgumentValidator
{
    /// <summary>The first problem with <paramref name="arguments"/>, or null when they fit <paramref name="schema"/>.</summary>
    public static string? Validate(JsonElement schema, IReadOnlyDictionary<string, object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (!arguments.TryGetValue(name, out var value) || IsNull(value))
                {
                    return $"'{name}' is required";
                }
            }
        }

        if (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in properties.EnumerateObject())
        {
            if (arguments.TryGetValue(property.Name, out var value) && !IsNull(value) && Check(property.Name, property.Value, value) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Check(string name, JsonElement schema, object? value)
    {
        var types = schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToArray() : [type.GetString() ?? ""]
            : [];
        if (types.Length > 0 && !types.Any(t => Fits(t, value)))
        {
            return $"'{name}' must be {string.Join(" or ", types.Where(t => t != "null").Select(Article))} (got {Show(value)})";
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == Text(value)))
        {
            return $"'{name}' must be one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.ToString()))} (got {Show(value)})";
        }

        return null;
    }

    private static bool Fits(string type, object? value) => type switch
    {
        "string" => value is string or char || value is JsonElement { ValueKind: JsonValueKind.String },
        "boolean" => value is bool || value is JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False },
        "integer" => value is int or long or short or byte or uint or ulong
            || (value is double or float or decimal && Convert.ToDecimal(value, CultureInfo.InvariantCulture) % 1 == 0)
            || (value is JsonElement { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out _)),
        "number" => value is int or long or short or byte or uint or ulong or double or float or decimal
            || value is JsonElement { ValueKind: JsonValueKind.Number },
        "object" => value is JsonElement { ValueKind: JsonValueKind.Object } || value is IDictionary<string, object?>,
        "array" => value is JsonElement { ValueKind: JsonValueKind.Array } || (value is System.Collections.IEnumerable && value is not string),
        "null" => IsNull(value),
        _ => true,
    };

    private static bool IsNull(object? value) => value is null || value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined };

    private static string? Text(object? value) => value is JsonElement { ValueKind: JsonValueKind.String } e ? e.GetString() : value?.ToString();

    private static string Show(object? value) => value switch
    {
        JsonElement e => e.GetRawText(),
        string s => JsonSerializer.Serialize(s),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };

    private static string Article(string type) => type switch
    {
        "integer" => "an integer",
        "array" => "an array",
        "object" => "an object",
        _ => "a " + type,
    };
}
