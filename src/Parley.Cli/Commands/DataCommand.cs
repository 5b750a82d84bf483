using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Nlu.Data;

namespace Parley.Cli.Commands;

/// <summary><c>parley data check|split</c>: validate intent datasets and split them into train, validation and test.</summary>
internal static class DataCommand
{
    /// <summary>At most this many errors or warnings are printed as text; the rest are counted.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var dataset = new DatasetArguments(recursive: true);
        var json = new Option<bool>("--json") { Description = "Print JSON.", Recursive = true };

        var check = new Command("check", "Validate a dataset: errors (file:line) and warnings (few examples, imbalance, duplicates, leakage).");
        check.SetAction(async (result, cancellationToken) =>
        {
            var data = await dataset.ReadAsync(context, result, cancellationToken).ConfigureAwait(false);
            var report = DatasetValidator.Validate(data);
            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(CheckJson(data, report).ToJsonString(Json)).ConfigureAwait(false);
            }
            else
            {
                await DatasetArguments.ListAsync(context.Out, "Errors", report.Errors).ConfigureAwait(false);
                await DatasetArguments.ListAsync(context.Out, "Warnings", report.Warnings).ConfigureAwait(false);
                var splits = string.Join(", ", data.Splits.Select(s => $"{s.Key} {s.Value.Count}"));
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{data.Path}: {data.Format} · {data.Count} items ({splits}) · {Intents(data.AllItems)} intents · {report.Errors.Count} errors, {report.Warnings.Count} warnings · {data.Hash}")).ConfigureAwait(false);
            }

            return report.HasErrors ? ExitCodes.Failure : ExitCodes.Success;
        });

        var output = new Option<string>("--out") { Description = "The folder to write train.csv, val.csv, test.csv and summary.json to.", Required = true }.RefusingFiles(context);
        var validation = new Option<double>("--val") { Description = "The fraction of each intent for validation.", DefaultValueFactory = _ => 0.1 };
        var test = new Option<double>("--test") { Description = "The fraction of each intent for test.", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<int>("--seed") { Description = "The seed of the split.", DefaultValueFactory = _ => 42 };
        var split = new Command("split", "Split a dataset into train, validation and test: stratified by intent, seeded, identical texts kept together.");
        split.Options.Add(output);
        split.Options.Add(validation);
        split.Options.Add(test);
        split.Options.Add(seed);
        split.SetAction(async (result, cancellationToken) =>
        {
            var (validationFraction, testFraction) = (result.GetValue(validation), result.GetValue(test));
            if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1)
            {
                throw new CliException("--val and --test must be fractions of at least 0 that add up to less than 1, e.g. --val 0.1 --test 0.1", exitCode: ExitCodes.Usage);
            }

            var data = await dataset.ReadAsync(context, result, cancellationToken).ConfigureAwait(false);
            var report = await DatasetArguments.RequireValidAsync(context, data).ConfigureAwait(false);
            var folder = Path.GetFullPath(result.GetValue(output)!, context.CurrentDirectory);
            var parts = DatasetSplitter.Split([.. data.AllItems], validationFraction, testFraction, result.GetValue(seed));
            var summary = DatasetSplitSummary.Create(parts, data.Path, data.Hash);
            await DatasetWriter.WriteSplitAsync(folder, parts, summary, cancellationToken).ConfigureAwait(false);

            if (result.GetValue(json))
            {
                var node = JsonSerializer.SerializeToNode(summary, Json)!.AsObject();
                node["out"] = folder;
                node["warnings"] = report.Warnings.Count;
                await context.Out.WriteLineAsync(node.ToJsonString(Json)).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Split {data.Count} items, {summary.Intents.Count} intents (seed {parts.Seed}): train {parts.Train.Count}, val {parts.Validation.Count}, test {parts.Test.Count}")).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"Wrote {string.Join(", ", DatasetWriter.SplitFileNames)} to {folder}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var command = new Command("data", "Check and split intent datasets.");
        dataset.AddTo(command);
        command.Options.Add(json);
        command.Subcommands.Add(check);
        command.Subcommands.Add(split);
        command.Subcommands.Add(ToOpenAICommand.Create(context));

        // The intent-data options are not inherited by 'validate', which reads fine-tuning files and has its own --format.
        foreach (var option in new Option[] { dataset.Format, dataset.TextColumn, dataset.LabelColumn })
        {
            option.Recursive = false;
            foreach (var sub in command.Subcommands)
            {
                sub.Options.Add(option);
            }
        }

        command.Subcommands.Add(ValidateCommand.Create(context));
        return command;
    }

    private static int Intents(IEnumerable<DatasetItem> items) =>
        items.Select(i => i.Intent).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).Count();

    private static JsonObject CheckJson(IntentDataset dataset, DatasetReport report)
    {
        static JsonArray Issues(IEnumerable<DatasetIssue> issues) => new([.. issues.Select(i => (JsonNode)new JsonObject
        {
            ["file"] = i.File,
            ["line"] = i.Line,
            ["field"] = i.Field,
            ["message"] = i.Message,
        })]);

        var splits = new JsonObject();
        foreach (var (name, items) in dataset.Splits)
        {
            splits[name] = items.Count;
        }

        return new JsonObject
        {
            ["file"] = dataset.Path,
            ["format"] = dataset.Format.ToString().ToLowerInvariant(),
            ["items"] = dataset.Count,
            ["intents"] = Intents(dataset.AllItems),
            ["splits"] = splits,
            ["data_hash"] = dataset.Hash,
            ["errors"] = Issues(report.Errors),
            ["warnings"] = Issues(report.Warnings),
        };
    }
}
