using System.Text.Json;
using Parley.Bots.Packs;

namespace Parley.Bots.Evaluation;

/// <summary>Reads an eval JSON Lines file, naming the file, line and field of what is wrong.</summary>
internal static class EvalFile
{
    /// <summary>The file's non-empty lines as JSON objects, with their line numbers.</summary>
    public static IEnumerable<(int Line, JsonElement Item)> Read(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            JsonElement item;
            try
            {
                item = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new BotPackException(path, number, $"not valid JSON: {e.Message}");
            }

            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new BotPackException(path, number, "each line must be a JSON object");
            }

            yield return (number, item);
        }
    }

    /// <summary>A text field; null when absent or null, an error when of another type or (if required) missing.</summary>
    public static string? Text(string path, int line, JsonElement item, string field, bool required = false)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new BotPackException(path, line, $"missing field '{field}'") : null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new BotPackException(path, line, $"field '{field}' must be text");
    }

    /// <summary>Whether the object has the field (null included).</summary>
    public static bool Has(JsonElement item, string field) => item.TryGetProperty(field, out _);

    /// <summary>A list of texts.</summary>
    public static IReadOnlyList<string> Texts(string path, int line, JsonElement item, string field)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
            ? [.. value.EnumerateArray().Select(v => v.GetString()!)]
            : throw new BotPackException(path, line, $"field '{field}' must be a list of texts");
    }
}
