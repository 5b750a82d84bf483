using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Parley.Cli.Hosting;
using Parley.Hosting;
using Parley.Core.Resilience;
using Parley.OpenAI.FineTuning;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley finetune eval</c>: asks a base and a fine-tuned model the same test examples through chat completions at the
/// endpoint (temperature 0) and prints both exact-match accuracies, how often they differ and a sample of the
/// differences; <c>--report DIR</c> writes <c>report.html</c> and <c>results.json</c>.
/// </summary>
internal static class FineTuneEvalCommand
{
    public static Command Create(CliContext context, FineTuneEndpointOptions endpoint)
    {
        var baseModel = new Option<string>("--base") { Description = "The base model, e.g. all-MiniLM-L6-v2 or gpt-4o-mini.", Required = true };
        var tunedModel = new Option<string>("--tuned") { Description = "The fine-tuned model, e.g. ft:all-MiniLM-L6-v2:shop:ftjob-abc123.", Required = true };
        var data = new Option<string>("--data") { Description = "Test data: OpenAI chat-format JSONL (expected answer = the last assistant message) or intent JSONL ({\"text\",\"label\"}).", Required = true };
        var report = new Option<string?>("--report") { Description = "A folder to write report.html (self-contained) and results.json to." }.RefusingFiles(context);
        var limit = new Option<int?>("--limit") { Description = "Only the first N examples." };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 4 };

        var command = new Command("eval", "Compare a fine-tuned model with its base on test data: exact-match accuracy of each, and a sample of differing answers.");
        foreach (var option in new Option[] { baseModel, tunedModel, data, report, limit, concurrency })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(limit) is < 1 || result.GetValue(concurrency) < 1)
            {
                throw new CliException("--limit and --concurrency must be at least 1", exitCode: ExitCodes.Usage);
            }

            var dataPath = Path.GetFullPath(result.GetValue(data)!, context.CurrentDirectory);
            IReadOnlyList<ComparisonExample> examples;
            try
            {
                examples = await ComparisonDataReader.ReadAsync(dataPath, cancellationToken).ConfigureAwait(false);
            }
            catch (FineTuningException e)
            {
                throw new CliException(e.Message, e);
            }

            if (result.GetValue(limit) is { } n)
            {
                examples = [.. examples.Take(n)];
            }

            var (settings, url) = endpoint.Resolve(result, context);
            var (baseId, tunedId) = (result.GetValue(baseModel)!, result.GetValue(tunedModel)!);
            using var llm = new LlmClientFactory(Options.Create(settings.OpenAI), Options.Create(settings.Parley));
            var baseClient = llm.Create(baseId);
            var tunedClient = llm.Create(tunedId);
            var json = result.GetValue(endpoint.Json);
            await context.Error.WriteLineAsync($"Asking {baseId} and {tunedId} at {url} {examples.Count} examples each...").ConfigureAwait(false);
            ModelComparisonResult comparison;
            try
            {
                comparison = await ModelComparisonRunner.RunAsync(
                    baseClient, baseId, tunedClient, tunedId, dataPath, examples,
                    new ModelComparisonOptions { MaxConcurrency = result.GetValue(concurrency) },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (UpstreamException e)
            {
                throw new CliException($"comparing the models at {url}: {e.Message}", e);
            }

            var folder = result.GetValue(report) is { } r ? Path.GetFullPath(r, context.CurrentDirectory) : null;
            if (folder is not null)
            {
                await ComparisonReportWriter.WriteAsync(folder, comparison, cancellationToken).ConfigureAwait(false);
            }

            if (json)
            {
                var node = comparison.ToJson();
                node["report"] = folder is null ? null : Path.Combine(folder, ComparisonReportWriter.ReportFileName);
                await context.Out.WriteLineAsync(node.ToJsonString(FineTuneJson.Options)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WriteTextAsync(context.Out, comparison).ConfigureAwait(false);
            if (folder is not null)
            {
                await context.Out.WriteLineAsync($"Report: {Path.Combine(folder, ComparisonReportWriter.ReportFileName)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task WriteTextAsync(TextWriter writer, ModelComparisonResult comparison)
    {
        var width = Math.Max(comparison.BaseModel.Length, comparison.TunedModel.Length);
        string Row(string role, string model, int correct, double accuracy) => string.Create(CultureInfo.InvariantCulture,
            $"{role,-6} {model.PadRight(width)}  {correct,5}/{comparison.Examples}  {accuracy * 100,5:0.0}%");
        await writer.WriteLineAsync(Row("base", comparison.BaseModel, comparison.BaseCorrect, comparison.BaseAccuracy)).ConfigureAwait(false);
        await writer.WriteLineAsync(Row("tuned", comparison.TunedModel, comparison.TunedCorrect, comparison.TunedAccuracy)).ConfigureAwait(false);
        await writer.WriteLineAsync($"The answers differ on {comparison.Differing} of {comparison.Examples} examples{(comparison.Sample.Count > 0 ? $"; the first {comparison.Sample.Count}:" : ".")}").ConfigureAwait(false);
        foreach (var item in comparison.Sample)
        {
            static string Q(string text) => "\"" + text.ReplaceLineEndings(" ") + "\"";
            await writer.WriteLineAsync($"  line {item.Line}: {Q(item.Prompt)} expected {Q(item.Expected)} · base {Q(item.BaseAnswer)}{(item.BaseCorrect ? " ✓" : "")} · tuned {Q(item.TunedAnswer)}{(item.TunedCorrect ? " ✓" : "")}").ConfigureAwait(false);
        }
    }
}
