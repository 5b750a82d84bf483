using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Core.History;
using Parley.Nlu.Data;

namespace Parley.Nlu.FineTuning;

/// <summary>
/// Checks a chat-format fine-tuning JSONL file the way OpenAI's data-preparation guidance does, and estimates what
/// training on it costs.
/// </summary>
/// <remarks>
/// Errors (OpenAI refuses the file): a line that is not a JSON object, a missing or empty <c>messages</c> array, a
/// message without <c>role</c> or <c>content</c>, unrecognised message keys or roles, empty content without tool
/// calls, a bad <c>weight</c>, no assistant message, fewer than <see cref="OpenAIChatConstants.MinExamples"/> examples.
/// Warnings: examples over the token limit (OpenAI truncates them rather than refusing the file) and fewer than
/// <see cref="OpenAIChatConstants.RecommendedMinExamples"/> examples. Tokens are counted with
/// <see cref="ChatTokenCounter"/>; tool-call JSON is counted as text.
/// </remarks>
public static class OpenAIChatValidator
{
    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="DatasetException">The file does not exist, is not UTF-8 text, or is binary.</exception>
    public static async Task<OpenAIChatReport> ValidateAsync(string path, OpenAIChatValidationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new DatasetException(path, 0, "fine-tuning file not found: check the path");
        }

        var text = DatasetReader.Decode(path, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        return Validate(path, text, options);
    }

    /// <summary>Checks <paramref name="content"/>, the text of the file named <paramref name="path"/>.</summary>
    public static OpenAIChatReport Validate(string path, string content, OpenAIChatValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        options ??= new OpenAIChatValidationOptions();
        options.Validate();
        var counter = ChatTokenCounter.ForModel(options.Model);
        var errors = new List<DatasetIssue>();
        var warnings = new List<DatasetIssue>();
        var (messageCounts, tokenCounts, assistantCounts) = (new List<int>(), new List<int>(), new List<int>());
        int examples = 0, missingSystem = 0, missingUser = 0, overLimit = 0;
        long tokensPerEpoch = 0;
        foreach (var (lineNumber, line) in JsonLines.NonBlank(content))
        {
            examples++;
            void Fail(string? field, string message) => errors.Add(new(DatasetIssueSeverity.Error, path, lineNumber, field, message));

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                Fail(null, $"wrong data type: not JSON ({e.Message.Split(" Path:")[0]})");
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    Fail(null, $"wrong data type: each line must be a JSON object, found {Kind(root)}");
                    continue;
                }

                if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
                {
                    Fail("messages", "missing \"messages\": each line needs a non-empty \"messages\" array");
                    continue;
                }

                var chat = new List<ChatMessage>();
                int extraTokens = 0, assistantTokens = 0, index = 0;
                bool hasSystem = false, hasUser = false, hasAssistant = false;
                foreach (var message in messages.EnumerateArray())
                {
                    var field = string.Create(CultureInfo.InvariantCulture, $"messages[{index++}]");
                    if (message.ValueKind != JsonValueKind.Object)
                    {
                        Fail(field, $"{field} must be an object with \"role\" and \"content\", found {Kind(message)}");
                        continue;
                    }

                    var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : null;
                    var hasCalls = HasValue(message, "tool_calls") || HasValue(message, "function_call");
                    if (role is null)
                    {
                        Fail(field, $"{field} is missing \"role\"");
                    }
                    else if (!OpenAIChatConstants.AllowedRoles.Contains(role))
                    {
                        Fail(field, $"{field} has unrecognised role \"{role}\" (allowed: {string.Join(", ", OpenAIChatConstants.AllowedRoles)})");
                    }

                    foreach (var key in message.EnumerateObject().Select(p => p.Name).Where(k => !OpenAIChatConstants.AllowedMessageKeys.Contains(k)))
                    {
                        Fail(field, $"{field} has unrecognised key \"{key}\" (allowed: {string.Join(", ", OpenAIChatConstants.AllowedMessageKeys)})");
                    }

                    var text = ContentText(message, out var contentPresent, out var contentValid);
                    if (!contentPresent && !hasCalls)
                    {
                        Fail(field, $"{field} is missing \"content\"");
                    }
                    else if (!contentValid)
                    {
                        Fail(field, $"{field} has \"content\" that is neither a string nor an array of content parts");
                    }
                    else if (contentPresent && IsEmpty(message.GetProperty("content")) && !hasCalls)
                    {
                        Fail(field, $"{field} has missing content: \"content\" is null or empty and there are no tool calls");
                    }

                    if (message.TryGetProperty("weight", out var weight)
                        && !(weight.ValueKind == JsonValueKind.Number && weight.TryGetInt32(out var w) && w is 0 or 1 && role == "assistant"))
                    {
                        Fail(field, $"{field} has a bad \"weight\": it must be 0 or 1 and only on assistant messages");
                    }

                    hasSystem |= role is "system" or "developer";
                    hasUser |= role == "user";
                    hasAssistant |= role == "assistant";
                    var name = message.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                    chat.Add(new ChatMessage(new ChatRole(role ?? "user"), text) { AuthorName = name });
                    foreach (var key in (ReadOnlySpan<string>)["tool_calls", "function_call"])
                    {
                        if (HasValue(message, key))
                        {
                            extraTokens += counter.CountTokens(message.GetProperty(key).GetRawText());
                        }
                    }

                    if (role == "assistant")
                    {
                        assistantTokens += counter.CountTokens(text);
                    }
                }

                if (!hasAssistant)
                {
                    Fail("messages", "no assistant message: every example needs at least one assistant message to learn from");
                }

                missingSystem += hasSystem ? 0 : 1;
                missingUser += hasUser ? 0 : 1;
                var tokens = counter.CountTokens(chat) + extraTokens;
                messageCounts.Add(chat.Count);
                tokenCounts.Add(tokens);
                assistantCounts.Add(assistantTokens);
                tokensPerEpoch += Math.Min(tokens, options.MaxTokensPerExample);
                if (tokens > options.MaxTokensPerExample)
                {
                    overLimit++;
                    warnings.Add(new(DatasetIssueSeverity.Warning, path, lineNumber, "messages", string.Create(CultureInfo.InvariantCulture,
                        $"example has {tokens:N0} tokens, over the limit of {options.MaxTokensPerExample:N0}: it will be truncated in training")));
                }
            }
        }

        if (examples < OpenAIChatConstants.MinExamples)
        {
            errors.Add(new(DatasetIssueSeverity.Error, path, 0, null, string.Create(CultureInfo.InvariantCulture,
                $"{examples} examples: OpenAI requires at least {OpenAIChatConstants.MinExamples}")));
        }
        else if (examples < OpenAIChatConstants.RecommendedMinExamples)
        {
            warnings.Add(new(DatasetIssueSeverity.Warning, path, 0, null, string.Create(CultureInfo.InvariantCulture,
                $"only {examples} examples: OpenAI recommends at least {OpenAIChatConstants.RecommendedMinExamples} for clear improvements")));
        }

        return new OpenAIChatReport
        {
            Path = path,
            Model = options.Model,
            Encoding = counter.Encoding,
            Examples = examples,
            MaxTokensPerExample = options.MaxTokensPerExample,
            Errors = errors,
            Warnings = warnings,
            MissingSystem = missingSystem,
            MissingUser = missingUser,
            OverTokenLimit = overLimit,
            MessagesPerExample = ValueDistribution.Create(messageCounts),
            TokensPerExample = ValueDistribution.Create(tokenCounts),
            AssistantTokensPerExample = ValueDistribution.Create(assistantCounts),
            Epochs = OpenAIChatConstants.DefaultEpochs(examples),
            TokensPerEpoch = tokensPerEpoch,
        };
    }

    private static bool HasValue(JsonElement message, string key) =>
        message.TryGetProperty(key, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
        && !(value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0);

    private static bool IsEmpty(JsonElement content) =>
        content.ValueKind is JsonValueKind.Null
        || (content.ValueKind == JsonValueKind.String && content.GetString()!.Length == 0)
        || (content.ValueKind == JsonValueKind.Array && content.GetArrayLength() == 0);

    // Content is a string or, for multimodal messages, an array of parts whose "text" parts are counted.
    private static string ContentText(JsonElement message, out bool present, out bool valid)
    {
        present = message.TryGetProperty("content", out var content);
        valid = true;
        if (!present)
        {
            return "";
        }

        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!;
            case JsonValueKind.Null:
                return "";
            case JsonValueKind.Array:
                return string.Concat(content.EnumerateArray()
                    .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    .Select(p => p.GetProperty("text").GetString()));
            default:
                valid = false;
                return "";
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture);
}
