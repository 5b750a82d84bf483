using System.Text;
using System.Text.Json;
using Parley.Nlu.Data;
using Parley.Nlu.FineTuning;

namespace Parley.Cli.Commands;

/// <summary>
/// Checks a fine-tuning file before it is uploaded: chat-format files with <see cref="OpenAIChatValidator"/> (OpenAI's
/// checks), intent-format JSONL (<c>{"text","label"}</c> lines, which a Parley server trains an intent model from) for
/// a text and a label on every line. Errors are listed by file:line and nothing is uploaded.
/// </summary>
internal static class FineTuneFileCheck
{
    /// <summary>The kinds of fine-tuning file.</summary>
    public enum Kind
    {
        /// <summary>OpenAI chat format: <c>{"messages":[…]}</c> lines.</summary>
        Chat,

        /// <summary>Intent data: <c>{"text","label"}</c> lines.</summary>
        Intents,
    }

    /// <summary>Checks <paramref name="path"/>; prints warnings to standard error and throws on errors.</summary>
    /// <param name="context">Where warnings and errors go.</param>
    /// <param name="path">The file.</param>
    /// <param name="option">The option that named it, for messages.</param>
    /// <param name="model">The base model (picks the tokenizer of the chat checks).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="CliException">The file is missing or has errors.</exception>
    public static async Task<Kind> CheckAsync(CliContext context, string path, string option, string model, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{option}: {path} not found: check the path", exitCode: ExitCodes.Usage);
        }

        var content = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        var kind = Detect(content);
        var issues = kind == Kind.Intents ? CheckIntents(path, content) : CheckChat(path, content, model);
        if (issues.Errors.Count > 0)
        {
            await DatasetArguments.ListAsync(context.Error, null, issues.Errors).ConfigureAwait(false);
            var errors = issues.Errors.Count == 1 ? "1 error" : $"{issues.Errors.Count} errors";
            var first = issues.Errors[0];
            throw new CliException($"{path} has {errors} (first: {(first.Line > 0 ? $"line {first.Line}: " : "")}{first.Message}); nothing was uploaded: fix the file (see 'parley data validate --data {path}') and run again");
        }

        await DatasetArguments.ListAsync(context.Error, null, issues.Warnings, "warning: ").ConfigureAwait(false);
        return kind;
    }

    /// <summary>Intent data when the first non-blank line is a JSON object with "text" and no "messages"; chat format otherwise.</summary>
    public static Kind Detect(string content)
    {
        foreach (var line in content.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line.ToString());
                var root = document.RootElement;
                return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("text", out _) && !root.TryGetProperty("messages", out _)
                    ? Kind.Intents
                    : Kind.Chat;
            }
            catch (JsonException)
            {
                return Kind.Chat;
            }
        }

        return Kind.Chat;
    }

    private static (IReadOnlyList<DatasetIssue> Errors, IReadOnlyList<DatasetIssue> Warnings) CheckChat(string path, string content, string model)
    {
        var report = OpenAIChatValidator.Validate(path, content, new OpenAIChatValidationOptions { Model = model });
        return (report.Errors, report.Warnings);
    }

    private static (IReadOnlyList<DatasetIssue> Errors, IReadOnlyList<DatasetIssue> Warnings) CheckIntents(string path, string content)
    {
        var errors = new List<DatasetIssue>();
        var number = 0;
        var examples = 0;
        foreach (var line in content.AsSpan().EnumerateLines())
        {
            number++;
            if (line.IsWhiteSpace())
            {
                continue;
            }

            examples++;
            void Fail(string? field, string message) => errors.Add(new DatasetIssue(DatasetIssueSeverity.Error, path, number, field, message));
            try
            {
                using var document = JsonDocument.Parse(line.ToString());
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    Fail(null, "each line must be a JSON object like {\"text\": \"…\", \"label\": \"…\"}");
                    continue;
                }

                foreach (var field in new[] { "text", "label" })
                {
                    if (!root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                    {
                        Fail(field, $"missing or empty \"{field}\" (intent data needs a text and a label on every line)");
                    }
                }
            }
            catch (JsonException e)
            {
                Fail(null, $"not JSON ({e.Message.Split(" Path:")[0]})");
            }
        }

        if (examples == 0)
        {
            errors.Add(new DatasetIssue(DatasetIssueSeverity.Error, path, 0, null, "the file has no examples"));
        }

        return (errors, []);
    }
}
