using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Nlu.Data;
using Parley.Nlu.FineTuning;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley data to-openai</c>: intent data or chat logs → chat-format fine-tuning JSONL.
/// </summary>
/// <remarks>
/// Meant to sit under <c>parley data</c>: it reuses that command's recursive <c>--data</c>, <c>--format</c>,
/// <c>--text-column</c>, <c>--label-column</c> and <c>--json</c> options (see <see cref="ParentOptions"/>) and adds only its own.
/// </remarks>
internal static class ToOpenAICommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "The JSONL file to write (e.g. train.jsonl).", Required = true };
        var system = new Option<string?>("--system") { Description = "A system message for every example (chat logs: only where they have none)." };
        var from = new Option<string>("--from") { Description = "What the data is: intents (text + intent → the assistant answers with the intent label) or chatlog (conversations).", DefaultValueFactory = _ => "intents" };
        from.AcceptOnlyFromAmong("intents", "chatlog");
        var userColumn = new Option<string>("--user-column") { Description = "Chat-log CSV: the column with what the user said.", DefaultValueFactory = _ => "user" };
        var agentColumn = new Option<string>("--agent-column") { Description = "Chat-log CSV: the column with the agent's reply.", DefaultValueFactory = _ => "agent" };
        var conversationColumn = new Option<string>("--conversation-column") { Description = "Chat-log CSV: the column grouping consecutive rows into one conversation (without it, one row is one conversation).", DefaultValueFactory = _ => "conversation_id" };

        var command = new Command("to-openai", "Convert intent data or chat logs (JSONL conversations, CSV user/agent pairs) into OpenAI chat-format fine-tuning JSONL.");
        command.Options.Add(output);
        command.Options.Add(system);
        command.Options.Add(from);
        command.Options.Add(userColumn);
        command.Options.Add(agentColumn);
        command.Options.Add(conversationColumn);
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = Path.GetFullPath(ParentOptions.Data(result), context.CurrentDirectory);
            var outPath = Path.GetFullPath(result.GetValue(output)!, context.CurrentDirectory);
            var format = ParentOptions.Format(result);
            var kind = result.GetValue(from)!;
            IReadOnlyList<ChatFineTuningExample> examples;
            try
            {
                if (kind == "chatlog")
                {
                    var log = await ChatLogReader.ReadAsync(path, new ChatLogReadOptions
                    {
                        Format = format,
                        UserColumn = result.GetValue(userColumn)!,
                        AgentColumn = result.GetValue(agentColumn)!,
                        ConversationColumn = result.GetValue(conversationColumn)!,
                        SystemPrompt = result.GetValue(system),
                    }, cancellationToken).ConfigureAwait(false);
                    if (log.Errors.Count > 0)
                    {
                        await DatasetArguments.ListAsync(context.Error, null, log.Errors).ConfigureAwait(false);
                        throw new CliException($"{path} has {log.Errors.Count} unreadable line{(log.Errors.Count == 1 ? "" : "s")}: fix them and run again");
                    }

                    examples = log.Examples;
                }
                else
                {
                    var data = await DatasetReader.ReadAsync(path, new DatasetReadOptions
                    {
                        Format = format,
                        TextColumn = ParentOptions.Get(result, "--text-column") ?? "text",
                        LabelColumn = ParentOptions.Get(result, "--label-column") ?? "intent",
                    }, cancellationToken).ConfigureAwait(false);
                    await DatasetArguments.RequireValidAsync(context, data).ConfigureAwait(false);
                    examples = OpenAIChatConverter.FromIntents(data.AllItems, result.GetValue(system));
                }
            }
            catch (DatasetException e)
            {
                throw new CliException(e.Message, e);
            }

            await OpenAIChatWriter.WriteAsync(outPath, examples, cancellationToken).ConfigureAwait(false);
            if (ParentOptions.Json(result))
            {
                var node = new JsonObject { ["out"] = outPath, ["from"] = kind, ["examples"] = examples.Count, ["messages"] = examples.Sum(e => e.Messages.Count) };
                await context.Out.WriteLineAsync(node.ToJsonString(FineTuneJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {examples.Count} examples ({kind}) to {outPath}; check it with 'parley data validate --data {outPath} --format openai-chat'")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>
/// <c>parley data validate --format openai-chat</c>: OpenAI's data-preparation checks, token distributions, default epochs
/// and the billed-token estimate of a fine-tuning file. Exit 0 when it has no errors, 3 otherwise.
/// </summary>
/// <remarks>
/// It has its own <c>--format</c> (only <c>openai-chat</c>): <c>parley data</c> gives its intent-data <c>--format</c>,
/// <c>--text-column</c> and <c>--label-column</c> to its other subcommands only, so help shows one <c>--format</c>.
/// <c>--data</c> and <c>--json</c> are the parent's.
/// </remarks>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "The fine-tuning data format: openai-chat.", DefaultValueFactory = _ => "openai-chat" };
        format.AcceptOnlyFromAmong("openai-chat");
        var model = new Option<string>("--model") { Description = "The model to fine-tune; picks the tokenizer (o200k for gpt-4o and later, else cl100k).", DefaultValueFactory = _ => "gpt-4o-mini" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "The tokens per example the model trains on; longer examples are truncated.", DefaultValueFactory = _ => OpenAIChatConstants.DefaultMaxTokensPerExample };

        var command = new Command("validate", "Check a fine-tuning file as OpenAI does (errors by file:line), with token distributions, default epochs and billed tokens.");
        command.Options.Add(format);
        command.Options.Add(model);
        command.Options.Add(maxTokens);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(maxTokens) < 1)
            {
                throw new CliException("--max-tokens must be at least 1", exitCode: ExitCodes.Usage);
            }

            var path = Path.GetFullPath(ParentOptions.Data(result), context.CurrentDirectory);
            OpenAIChatReport report;
            try
            {
                report = await OpenAIChatValidator.ValidateAsync(path, new OpenAIChatValidationOptions
                {
                    Model = result.GetValue(model)!,
                    MaxTokensPerExample = result.GetValue(maxTokens),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (DatasetException e)
            {
                throw new CliException(e.Message, e);
            }

            if (ParentOptions.Json(result))
            {
                await context.Out.WriteLineAsync(ToJson(report).ToJsonString(FineTuneJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await WriteTextAsync(context.Out, report).ConfigureAwait(false);
            }

            return report.HasErrors ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static async Task WriteTextAsync(TextWriter writer, OpenAIChatReport report)
    {
        await DatasetArguments.ListAsync(writer, "Errors", report.Errors).ConfigureAwait(false);
        await DatasetArguments.ListAsync(writer, "Warnings", report.Warnings).ConfigureAwait(false);
        static string Line(string label, ValueDistribution d) => string.Create(CultureInfo.InvariantCulture,
            $"{label}: min {d.Min:0.#}, max {d.Max:0.#}, mean {d.Mean:0.#}, median {d.Median:0.#}, p10 {d.P10:0.#}, p90 {d.P90:0.#}");
        string[] lines =
        [
            string.Create(CultureInfo.InvariantCulture, $"{report.Path}: {report.Examples} examples · {report.Model} ({report.Encoding}) · {report.Errors.Count} errors, {report.Warnings.Count} warnings"),
            string.Create(CultureInfo.InvariantCulture, $"Examples without a system message: {report.MissingSystem} · without a user message: {report.MissingUser}"),
            Line("Messages per example", report.MessagesPerExample),
            Line("Tokens per example", report.TokensPerExample),
            Line("Assistant tokens per example", report.AssistantTokensPerExample),
            string.Create(CultureInfo.InvariantCulture, $"Examples over {report.MaxTokensPerExample:N0} tokens (truncated in training): {report.OverTokenLimit}"),
            string.Create(CultureInfo.InvariantCulture, $"Default epochs: {report.Epochs} · billed tokens ≈ {report.Epochs} × {report.TokensPerEpoch:N0} = {report.BilledTokens:N0}"),
        ];
        foreach (var line in lines)
        {
            await writer.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    private static JsonObject ToJson(OpenAIChatReport report)
    {
        static JsonArray Issues(IEnumerable<DatasetIssue> issues) => new([.. issues.Select(i => (JsonNode)new JsonObject
        {
            ["file"] = i.File,
            ["line"] = i.Line,
            ["field"] = i.Field,
            ["message"] = i.Message,
        })]);
        static JsonObject Distribution(ValueDistribution d) => new()
        {
            ["min"] = d.Min, ["max"] = d.Max, ["mean"] = d.Mean, ["median"] = d.Median, ["p10"] = d.P10, ["p90"] = d.P90,
        };

        return new JsonObject
        {
            ["file"] = report.Path,
            ["format"] = "openai-chat",
            ["model"] = report.Model,
            ["encoding"] = report.Encoding,
            ["examples"] = report.Examples,
            ["max_tokens_per_example"] = report.MaxTokensPerExample,
            ["missing_system"] = report.MissingSystem,
            ["missing_user"] = report.MissingUser,
            ["over_token_limit"] = report.OverTokenLimit,
            ["messages_per_example"] = Distribution(report.MessagesPerExample),
            ["tokens_per_example"] = Distribution(report.TokensPerExample),
            ["assistant_tokens_per_example"] = Distribution(report.AssistantTokensPerExample),
            ["epochs"] = report.Epochs,
            ["tokens_per_epoch"] = report.TokensPerEpoch,
            ["billed_tokens"] = report.BilledTokens,
            ["errors"] = Issues(report.Errors),
            ["warnings"] = Issues(report.Warnings),
        };
    }
}

/// <summary>
/// Reads the recursive options of the parent <c>parley data</c> command by name, so that its subcommands declare no
/// duplicates of them.
/// </summary>
internal static class ParentOptions
{
    public static string Data(ParseResult result) =>
        Get(result, "--data") ?? throw new CliException("give the data file with --data", exitCode: ExitCodes.Usage);

    public static bool Json(ParseResult result) => TryGet(result, "--json", out bool json) && json;

    public static DatasetFormat Format(ParseResult result) => DatasetArguments.ParseFormat(Get(result, "--format"));

    public static string? Get(ParseResult result, string name) => TryGet(result, name, out string? value) ? value : null;

    private static bool TryGet<T>(ParseResult result, string name, out T? value)
    {
        try
        {
            value = result.GetValue<T>(name);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidCastException)
        {
            // The command was registered somewhere without that parent option.
            value = default;
            return false;
        }
    }
}

/// <summary>The JSON settings of the fine-tuning data commands.</summary>
internal static class FineTuneJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
