using System.Globalization;
using System.Text.Json;

namespace Parley.Nlu.Data;

/// <summary>Reads JSON Lines: one object per line with the text and intent fields.</summary>
internal static class JsonlDatasetReader
{
    private const string AlternativeLabel = "label";

    public static IntentDataset Read(string path, string text, DatasetReadOptions options)
    {
        var items = new List<DatasetItem>();
        var errors = new List<DatasetIssue>();
        foreach (var (lineNumber, line) in JsonLines.NonBlank(text))
        {
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                errors.Add(Error(path, lineNumber, null, $"malformed JSON: {FirstSentence(e.Message)}"));
                continue;
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(Error(path, lineNumber, null, $"expected a JSON object with \"{options.TextColumn}\" and \"{options.LabelColumn}\", found {Kind(root)}"));
                continue;
            }

            var textValue = Field(root, options.TextColumn, path, lineNumber, errors);
            var labelValue = root.TryGetProperty(options.LabelColumn, out _) || !root.TryGetProperty(AlternativeLabel, out _)
                ? Field(root, options.LabelColumn, path, lineNumber, errors)
                : Field(root, AlternativeLabel, path, lineNumber, errors);
            if (textValue is not null && labelValue is not null)
            {
                items.Add(new DatasetItem(textValue.Trim(), labelValue.Trim(), lineNumber));
            }
        }

        return new IntentDataset(path, DatasetFormat.Jsonl, [new(DatasetSplitNames.All, items)], errors);
    }

    /// <summary>The field as text: missing or null is empty (validation reports it); numbers are accepted as labels.</summary>
    private static string? Field(JsonElement root, string name, string path, int line, List<DatasetIssue> errors)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return "";
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!;
            case JsonValueKind.Null:
                return "";
            case JsonValueKind.Number:
                return value.GetRawText();
            default:
                errors.Add(Error(path, line, name, $"field \"{name}\" must be a string, found {Kind(value)}"));
                return null;
        }
    }

    private static DatasetIssue Error(string path, int line, string? field, string message) =>
        new(DatasetIssueSeverity.Error, path, line, field, message);

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
