using System.CommandLine;
using Parley.Nlu.Data;

namespace Parley.Cli.Commands;

/// <summary>The options that name a dataset (<c>--data --format --text-column --label-column</c>) and how they are read.</summary>
internal sealed class DatasetArguments
{
    public const int MaxListed = 20;

    private static readonly string[] FormatNames = ["auto", "csv", "tsv", "jsonl", "clinc", "rasa"];

    public DatasetArguments(bool recursive)
    {
        Data = new Option<string>("--data") { Description = "The data file (CSV, TSV, JSONL, CLINC150 JSON or Rasa NLU YAML).", Required = true, Recursive = recursive };
        Format = new Option<string>("--format") { Description = "The data format: auto, csv, tsv, jsonl, clinc or rasa.", DefaultValueFactory = _ => "auto", Recursive = recursive };
        Format.AcceptOnlyFromAmong(FormatNames);
        TextColumn = new Option<string>("--text-column") { Description = "The column or field with the utterance.", DefaultValueFactory = _ => "text", Recursive = recursive };
        LabelColumn = new Option<string>("--label-column") { Description = "The column or field with the intent.", DefaultValueFactory = _ => "intent", Recursive = recursive };
    }

    public Option<string> Data { get; }

    public Option<string> Format { get; }

    public Option<string> TextColumn { get; }

    public Option<string> LabelColumn { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Format);
        command.Options.Add(TextColumn);
        command.Options.Add(LabelColumn);
    }

    /// <summary>Reads the dataset named by <see cref="Data"/> (or <paramref name="path"/>); unreadable files become a <see cref="CliException"/>.</summary>
    public async Task<IntentDataset> ReadAsync(CliContext context, ParseResult result, CancellationToken cancellationToken, string? path = null)
    {
        var options = new DatasetReadOptions
        {
            Format = ParseFormat(result.GetValue(Format)),
            TextColumn = result.GetValue(TextColumn)!,
            LabelColumn = result.GetValue(LabelColumn)!,
        };
        try
        {
            return await DatasetReader.ReadAsync(Path.GetFullPath(path ?? result.GetValue(Data)!, context.CurrentDirectory), options, cancellationToken).ConfigureAwait(false);
        }
        catch (DatasetException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    /// <summary>Validates the dataset; prints the warnings, and refuses it (listing every error by line) when it has errors.</summary>
    public static async Task<DatasetReport> RequireValidAsync(CliContext context, IntentDataset dataset, ValidationOptions? options = null)
    {
        var report = DatasetValidator.Validate(dataset, options);
        if (report.HasErrors)
        {
            await ListAsync(context.Error, null, report.Errors).ConfigureAwait(false);
            throw new CliException($"{dataset.Path} has {report.Errors.Count} error{(report.Errors.Count == 1 ? "" : "s")}: fix them and run again (see 'parley data check')");
        }

        await ListAsync(context.Error, null, report.Warnings, "warning: ").ConfigureAwait(false);
        return report;
    }

    /// <summary>Writes up to <see cref="MaxListed"/> issues as <c>file:line: message</c>, then how many more there are.</summary>
    public static async Task ListAsync(TextWriter writer, string? heading, IReadOnlyList<DatasetIssue> issues, string prefix = "")
    {
        if (issues.Count == 0)
        {
            return;
        }

        if (heading is not null)
        {
            await writer.WriteLineAsync($"{heading} ({issues.Count}):").ConfigureAwait(false);
        }

        foreach (var issue in issues.Take(MaxListed))
        {
            await writer.WriteLineAsync(prefix + issue.ToString().ReplaceLineEndings(" ")).ConfigureAwait(false);
        }

        if (issues.Count > MaxListed)
        {
            await writer.WriteLineAsync($"{prefix}... and {issues.Count - MaxListed} more").ConfigureAwait(false);
        }
    }

    /// <summary>The format named on the command line (auto for anything else).</summary>
    public static DatasetFormat ParseFormat(string? name) => name switch
    {
        "csv" => DatasetFormat.Csv,
        "tsv" => DatasetFormat.Tsv,
        "jsonl" => DatasetFormat.Jsonl,
        "clinc" => DatasetFormat.Clinc,
        "rasa" => DatasetFormat.RasaYaml,
        _ => DatasetFormat.Auto,
    };
}
