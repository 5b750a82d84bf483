using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Parley.OpenAI.FineTuning;

/// <summary>
/// Reads the test data of a model comparison from JSONL: OpenAI chat format (<c>{"messages":[…]}</c>: the expected answer
/// is the last assistant message, the prompt every message before it) or intent data (<c>{"text","label"}</c>, or
/// <c>"intent"</c> for the label: the prompt is the text as a user message, the expected answer the label).
/// </summary>
public static class ComparisonDataReader
{
    /// <summary>Reads <paramref name="path"/>; blank lines are skipped.</summary>
    /// <exception cref="FineTuningException">The file is missing, or a line is not a usable example (the message names the line).</exception>
    public static async Task<IReadOnlyList<ComparisonExample>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FineTuningException($"test data not found: {path}");
        }

        var text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return Read(path, text);
    }

    /// <summary>Reads <paramref name="content"/>, the text of the file named <paramref name="path"/>.</summary>
    /// <exception cref="FineTuningException">A line is not a usable example, or there is none.</exception>
    public static IReadOnlyList<ComparisonExample> Read(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        var examples = new List<ComparisonExample>();
        var number = 0;
        foreach (var line in content.AsSpan().EnumerateLines())
        {
            number++;
            if (line.IsWhiteSpace())
            {
                continue;
            }

            FineTuningException Bad(string message) => new($"{path}:{number}: {message}");
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line.ToString());
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw Bad($"not JSON ({e.Message.Split(" Path:")[0]})");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad("each line must be a JSON object with \"messages\" (chat format) or \"text\" and \"label\" (intent data)");
            }

            examples.Add(root.TryGetProperty("messages", out var messages) ? Chat(messages, number, Bad) : Intent(root, number, Bad));
        }

        return examples.Count > 0 ? examples : throw new FineTuningException($"{path} has no examples");
    }

    private static ComparisonExample Chat(JsonElement messages, int line, Func<string, FineTuningException> bad)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw bad("\"messages\" must be an array");
        }

        var list = new List<ChatMessage>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String
                ? r.GetString()!
                : throw bad($"messages[{index}] has no \"role\"");
            var content = message.TryGetProperty("content", out var c) ? ContentText(c) : string.Empty;
            list.Add(new ChatMessage(new ChatRole(role), content));
            index++;
        }

        var last = list.FindLastIndex(m => m.Role == ChatRole.Assistant);
        if (last < 0 || string.IsNullOrWhiteSpace(list[last].Text))
        {
            throw bad("no assistant message with text content to compare against (the expected answer is the last assistant message)");
        }

        var prompt = list.GetRange(0, last);
        if (!prompt.Any(m => m.Role == ChatRole.User))
        {
            throw bad("no user message before the last assistant message");
        }

        return new ComparisonExample(line, prompt, list[last].Text);
    }

    private static ComparisonExample Intent(JsonElement root, int line, Func<string, FineTuningException> bad)
    {
        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var text = Text(root, "text");
        var label = Text(root, "intent") ?? Text(root, "label"); // as the training reader: "intent" first
        if (string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace(label))
        {
            throw bad("expected \"messages\" (chat format) or a non-empty \"text\" and \"label\" (intent data)");
        }

        return new ComparisonExample(line, [new ChatMessage(ChatRole.User, text)], label);
    }

    private static string ContentText(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? string.Empty,
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(part => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(part => part.GetProperty("text").GetString())),
        _ => string.Empty,
    };
}
