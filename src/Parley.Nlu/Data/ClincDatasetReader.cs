using System.Text;
using System.Text.Json;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Data;

/// <summary>
/// Reads the CLINC150 layout: <c>train</c>/<c>val</c>/<c>test</c> and <c>oos_train</c>/<c>oos_val</c>/<c>oos_test</c>
/// arrays of <c>[text, intent]</c>. Out-of-scope items join their split with the label <c>oos</c>.
/// </summary>
internal static class ClincDatasetReader
{
    private static readonly string[] SplitNames = [DatasetSplitNames.Train, DatasetSplitNames.Validation, DatasetSplitNames.Test];

    public static bool LooksLikeClinc(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && SplitNames.Any(name => document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static IntentDataset Read(string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = LineStarts(bytes);
        var inScope = SplitNames.ToDictionary(n => n, _ => new List<DatasetItem>(), StringComparer.Ordinal);
        var outOfScope = SplitNames.ToDictionary(n => n, _ => new List<DatasetItem>(), StringComparer.Ordinal);
        var errors = new List<DatasetIssue>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new DatasetException(path, 1, "expected a JSON object with 'train', 'val' and 'test' arrays (the CLINC150 layout)");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                var isOos = key.StartsWith("oos_", StringComparison.Ordinal);
                var split = isOos ? key[4..] : key;
                if (!inScope.ContainsKey(split))
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    errors.Add(Error(path, Line(lineStarts, reader.TokenStartIndex), key, $"'{key}' must be an array of [text, intent] pairs"));
                    reader.Skip();
                    continue;
                }

                var target = isOos ? outOfScope[split] : inScope[split];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var line = Line(lineStarts, reader.TokenStartIndex);
                    var pair = ReadPair(ref reader);
                    if (pair is null)
                    {
                        errors.Add(Error(path, line, key, $"an item of '{key}' must be a [text, intent] pair of strings"));
                        continue;
                    }

                    target.Add(new DatasetItem(pair.Value.Text.Trim(), isOos ? OutOfScope.Label : pair.Value.Intent.Trim(), line));
                }
            }
        }
        catch (JsonException e)
        {
            throw new DatasetException(path, (int)(e.LineNumber ?? -1) + 1, $"not valid JSON: {e.Message.Split(" LineNumber:")[0]}", e);
        }

        var splits = SplitNames
            .Where(n => inScope[n].Count + outOfScope[n].Count > 0)
            .Select(n => new KeyValuePair<string, IReadOnlyList<DatasetItem>>(n, [.. inScope[n], .. outOfScope[n]]));
        return new IntentDataset(path, DatasetFormat.Clinc, splits, errors);
    }

    private static (string Text, string Intent)? ReadPair(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var values = new List<string?>();
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add(reader.GetString());
            }
            else
            {
                valid = false;
                reader.Skip();
            }
        }

        return valid && values.Count == 2 ? (values[0]!, values[1]!) : null;
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int Line(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private static DatasetIssue Error(string path, int line, string field, string message) =>
        new(DatasetIssueSeverity.Error, path, line, field, message);
}
