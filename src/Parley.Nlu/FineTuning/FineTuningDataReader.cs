using System.Globalization;
using System.Text.Json;
using Parley.Core.History;
using Parley.Nlu.Data;
using Parley.Nlu.Intents;

namespace Parley.Nlu.FineTuning;

/// <summary>
/// Reads a fine-tuning JSONL file for local training, telling its kind from the first example: a <c>messages</c>
/// array is chat format (checked by <see cref="OpenAIChatValidator"/>), a <c>text</c> field is intent-labelled data.
/// </summary>
public static class FineTuningDataReader
{
    private static readonly ChatTokenCounter Counter = ChatTokenCounter.ForEncoding(ChatTokenCounter.Cl100kBase);

    /// <summary>Reads <paramref name="content"/>, the text of the file named <paramref name="name"/>.</summary>
    /// <param name="name">The file name used in error messages.</param>
    /// <param name="content">The JSONL text.</param>
    /// <exception cref="DatasetException">The data is invalid; the message names the line and what is wrong.</exception>
    public static FineTuningData Read(string name, string content)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        return DetectKind(name, content) == FineTuningDataKind.Chat ? ReadChat(name, content) : ReadIntents(name, content);
    }

    /// <summary>The kind of data in <paramref name="content"/>, from its first non-blank line.</summary>
    /// <exception cref="DatasetException">The file is empty or its first example is neither kind.</exception>
    public static FineTuningDataKind DetectKind(string name, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        foreach (var (lineNumber, line) in JsonLines.NonBlank(content))
        {
            using var document = Parse(name, lineNumber, line);
            var root = document.RootElement;
            if (root.TryGetProperty("messages", out _))
            {
                return FineTuningDataKind.Chat;
            }

            if (root.TryGetProperty("text", out _))
            {
                return FineTuningDataKind.Intents;
            }

            throw new DatasetException(name, lineNumber,
                "cannot tell the kind of data: expected {\"messages\": [...]} (OpenAI chat format) or {\"text\": ..., \"intent\": ...} (intent-labelled utterances)");
        }

        throw new DatasetException(name, 0, "the file has no examples");
    }

    private static FineTuningData ReadChat(string name, string content)
    {
        var report = OpenAIChatValidator.Validate(name, content);
        if (report.HasErrors)
        {
            var first = report.Errors[0];
            var more = report.Errors.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({report.Errors.Count - 1} more errors)") : "";
            throw new DatasetException(name, first.Line, first.Message + more);
        }

        var examples = new List<LabeledExample>();
        foreach (var (lineNumber, line) in JsonLines.NonBlank(content))
        {
            using var document = Parse(name, lineNumber, line);
            var messages = document.RootElement.GetProperty("messages").EnumerateArray().Select(ToMessage).ToArray();
            examples.AddRange(ChatExampleExtractor.Extract(messages, lineNumber).Select(e => new LabeledExample(e.Input, e.Reply)));
        }

        if (examples.Count == 0)
        {
            throw new DatasetException(name, 0, "no assistant message to learn from: every assistant reply has weight 0, calls tools only, or follows no user message");
        }

        return new FineTuningData(FineTuningDataKind.Chat, examples, report.TokensPerEpoch);
    }

    private static FineTuningData ReadIntents(string name, string content)
    {
        var examples = new List<LabeledExample>();
        long tokens = 0;
        foreach (var (lineNumber, line) in JsonLines.NonBlank(content))
        {
            using var document = Parse(name, lineNumber, line);
            var root = document.RootElement;
            var text = Text(root, "text", name, lineNumber);
            var label = root.TryGetProperty("intent", out _) || !root.TryGetProperty("label", out _)
                ? Text(root, "intent", name, lineNumber)
                : Text(root, "label", name, lineNumber);
            examples.Add(new LabeledExample(text, label));
            tokens += Counter.CountTokens(text);
        }

        if (examples.Count == 0)
        {
            throw new DatasetException(name, 0, "the file has no examples");
        }

        if (examples.All(e => e.Intent == OutOfScope.Label))
        {
            throw new DatasetException(name, 0, $"every example is labelled '{OutOfScope.Label}': give examples of at least one intent");
        }

        return new FineTuningData(FineTuningDataKind.Intents, examples, tokens);
    }

    private static string Text(JsonElement root, string field, string name, int line)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new DatasetException(name, line, field == "text"
                ? "\"text\" must be a non-empty string"
                : "each example needs a non-empty string \"intent\" (or \"label\")");
        }

        return value.GetString()!.Trim();
    }

    private static ChatExampleMessage ToMessage(JsonElement message)
    {
        var role = message.GetProperty("role").GetString()!;
        var content = message.TryGetProperty("content", out var c) ? c.ValueKind switch
        {
            JsonValueKind.String => c.GetString(),
            JsonValueKind.Array => string.Concat(c.EnumerateArray()
                .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                .Select(p => p.GetProperty("text").GetString())),
            _ => null,
        } : null;
        int? weight = message.TryGetProperty("weight", out var w) && w.TryGetInt32(out var value) ? value : null;
        return new ChatExampleMessage(role, content, weight);
    }

    private static JsonDocument Parse(string name, int line, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new DatasetException(name, line, $"not valid JSON ({e.Message.Split(" Path:")[0]})");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new DatasetException(name, line, "each line must be a JSON object");
        }

        return document;
    }
}
