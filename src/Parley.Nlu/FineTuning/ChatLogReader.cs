using System.Globalization;
using System.Text;
using System.Text.Json;
using Parley.Nlu.Data;

namespace Parley.Nlu.FineTuning;

/// <summary>
/// Reads chat logs into fine-tuning examples, one per conversation with all its turns: JSONL with a
/// <c>messages</c> or <c>conversation</c> array of <c>{role, content}</c> per line, or CSV/TSV user/agent pairs.
/// </summary>
/// <remarks>
/// Roles <c>agent</c>, <c>bot</c> and <c>assistant</c> become <c>assistant</c>; <c>customer</c>, <c>human</c> and
/// <c>user</c> become <c>user</c>; others are kept (validation reports unknown ones). Message <c>weight</c>,
/// <c>name</c>, <c>tool_calls</c>, <c>tool_call_id</c> and the line's <c>tools</c> are kept.
/// </remarks>
public static class ChatLogReader
{
    private static readonly Dictionary<string, string> RoleAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["agent"] = "assistant", ["bot"] = "assistant", ["assistant"] = "assistant",
        ["customer"] = "user", ["human"] = "user", ["user"] = "user",
    };

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="DatasetException">The file is missing, not UTF-8 text or binary, its format is not JSONL/CSV/TSV, or a CSV column is absent.</exception>
    public static async Task<ChatLog> ReadAsync(string path, ChatLogReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ChatLogReadOptions();
        if (!File.Exists(path))
        {
            throw new DatasetException(path, 0, "chat log not found: check the path");
        }

        var text = DatasetReader.Decode(path, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        var format = options.Format == DatasetFormat.Auto ? DatasetReader.DetectFormat(path, text) : options.Format;
        return format switch
        {
            DatasetFormat.Jsonl => ReadJsonl(path, text, options),
            DatasetFormat.Csv or DatasetFormat.Tsv => ReadDelimited(path, text, format, options),
            _ => throw new DatasetException(path, 0, $"a chat log must be JSONL (one conversation per line) or CSV/TSV with '{options.UserColumn}' and '{options.AgentColumn}' columns, not {format}"),
        };
    }

    private static ChatLog ReadJsonl(string path, string text, ChatLogReadOptions options)
    {
        var examples = new List<ChatFineTuningExample>();
        var errors = new List<DatasetIssue>();
        foreach (var (lineNumber, line) in JsonLines.NonBlank(text))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !(root.TryGetProperty("messages", out var turns) || root.TryGetProperty("conversation", out turns))
                    || turns.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(Error(path, lineNumber, "expected an object with a \"messages\" or \"conversation\" array of {\"role\", \"content\"}"));
                    continue;
                }

                var messages = new List<ChatExampleMessage>();
                var index = 0;
                foreach (var turn in turns.EnumerateArray())
                {
                    if (ReadMessage(turn) is { } message)
                    {
                        messages.Add(message);
                    }
                    else
                    {
                        errors.Add(Error(path, lineNumber, $"message {index} needs a string \"role\" and a string \"content\" (or \"tool_calls\")"));
                    }

                    index++;
                }

                var tools = root.TryGetProperty("tools", out var t) ? t.Clone() : (JsonElement?)null;
                examples.Add(new ChatFineTuningExample(WithSystem(messages, options.SystemPrompt), tools, lineNumber));
            }
            catch (JsonException e)
            {
                errors.Add(Error(path, lineNumber, $"malformed JSON: {e.Message.Split(" Path:")[0]}"));
            }
        }

        return new ChatLog(path, DatasetFormat.Jsonl, examples, errors);
    }

    private static ChatExampleMessage? ReadMessage(JsonElement turn)
    {
        if (turn.ValueKind != JsonValueKind.Object
            || !turn.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var content = turn.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var calls = turn.TryGetProperty("tool_calls", out var tc) && tc.ValueKind == JsonValueKind.Array ? tc.Clone() : (JsonElement?)null;
        if (content is null && calls is null)
        {
            return null;
        }

        var name = role.GetString()!;
        return new ChatExampleMessage(
            RoleAliases.GetValueOrDefault(name, name),
            content,
            turn.TryGetProperty("weight", out var w) && w.TryGetInt32(out var weight) ? weight : null,
            turn.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null,
            calls,
            turn.TryGetProperty("tool_call_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null);
    }

    private static ChatLog ReadDelimited(string path, string text, DatasetFormat format, ChatLogReadOptions options)
    {
        var records = DelimitedParser.Parse(text, format == DatasetFormat.Tsv ? '\t' : ',').ToList();
        if (records.Count == 0)
        {
            return new ChatLog(path, format, [], []);
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        int Column(string name) => header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        var (user, agent, conversation) = (Column(options.UserColumn), Column(options.AgentColumn), Column(options.ConversationColumn));
        if (user < 0 || agent < 0)
        {
            throw new DatasetException(path, records[0].Line,
                $"the header needs '{options.UserColumn}' and '{options.AgentColumn}' columns (found {string.Join(", ", header)}); name the columns with --user-column/--agent-column");
        }

        var examples = new List<ChatFineTuningExample>();
        var errors = new List<DatasetIssue>();
        List<ChatExampleMessage>? current = null;
        string? currentId = null;
        var startLine = 0;
        void Flush()
        {
            if (current is { Count: > 0 })
            {
                examples.Add(new ChatFineTuningExample(WithSystem(current, options.SystemPrompt), Line: startLine));
            }

            current = null;
        }

        foreach (var record in records.Skip(1))
        {
            if (record.Error is not null || record.Fields.Count != header.Count)
            {
                errors.Add(Error(path, record.Line, record.Error ?? string.Create(CultureInfo.InvariantCulture, $"expected {header.Count} fields, found {record.Fields.Count}")));
                continue;
            }

            var id = conversation >= 0 ? record.Fields[conversation].Trim() : null;
            if (current is null || id is null || !string.Equals(id, currentId, StringComparison.Ordinal))
            {
                Flush();
                current = [];
                currentId = id;
                startLine = record.Line;
            }

            var (said, reply) = (record.Fields[user].Trim(), record.Fields[agent].Trim());
            if (said.Length > 0)
            {
                current.Add(new ChatExampleMessage("user", said));
            }

            if (reply.Length > 0)
            {
                current.Add(new ChatExampleMessage("assistant", reply));
            }
        }

        Flush();
        return new ChatLog(path, format, examples, errors);
    }

    private static List<ChatExampleMessage> WithSystem(List<ChatExampleMessage> messages, string? systemPrompt)
    {
        if (!string.IsNullOrWhiteSpace(systemPrompt) && !messages.Any(m => m.Role == "system"))
        {
            messages.Insert(0, new ChatExampleMessage("system", systemPrompt));
        }

        return messages;
    }

    private static DatasetIssue Error(string path, int line, string message) => new(DatasetIssueSeverity.Error, path, line, null, message);
}
