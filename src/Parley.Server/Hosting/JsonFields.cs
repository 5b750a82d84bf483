using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Server.Errors;

namespace Parley.Server.Hosting;

/// <summary>Typed reads of request fields; a field of the wrong type is a 400 that names it.</summary>
internal static class JsonFields
{
    public static string? String(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw ApiException.Invalid(name, $"'{name}' must be a string"),
    };

    public static bool? Bool(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw ApiException.Invalid(name, $"'{name}' must be true or false"),
    };

    public static double? Number(JsonObject body, string name, double min, double max)
    {
        if (body[name] is null)
        {
            return null;
        }

        if (body[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out double value) || value < min || value > max)
        {
            throw ApiException.Invalid(name, $"'{name}' must be a number from {min} to {max}");
        }

        return value;
    }

    public static long? Integer(JsonObject body, string name, long min, long max)
    {
        if (body[name] is null)
        {
            return null;
        }

        if (body[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out long value) || value < min || value > max)
        {
            throw ApiException.Invalid(name, $"'{name}' must be an integer from {min} to {max}");
        }

        return value;
    }
}
