using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Parley.Bots.Evaluation;
using Parley.Bots.Replies;
using Parley.Cli.Hosting;
using Parley.Core.IO;

namespace Parley.Cli.Commands;

/// <summary><c>parley bot eval DIR</c>: runs a bot pack's eval files.</summary>
internal static class BotCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("bot", "Work with bot packs.");
        command.Subcommands.Add(Eval(context));
        return command;
    }

    private static Command Eval(CliContext context)
    {
        var folder = new Argument<string>("dir") { Description = "The bot pack folder." };
        var eval = new Option<string?>("--eval") { Description = "The eval folder (default: eval in the pack)." };
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object." };
        var report = new Option<string?>("--report") { Description = "Write report.html and evaluation.json to this folder." };
        var command = new Command("eval", "Run a bot pack's eval files offline: intent, knowledge and rule checks, adversarial turns, scripted conversations. Exits 1 when a check fails.");
        command.Arguments.Add(folder);
        command.Options.Add(eval);
        command.Options.Add(json);
        command.Options.Add(report);
        command.SetAction(async (result, cancellationToken) =>
        {
            var pack = Path.GetFullPath(result.GetValue(folder)!, context.CurrentDirectory);
            if (!Directory.Exists(pack))
            {
                throw new CliException($"bot folder not found: {pack}");
            }

            // Offline, whatever endpoint is configured: the checks expect the local pipeline's answers.
            var settings = SettingsLoader.Load(context, [new("Parley:Bot", pack), new("OpenAI:BaseUrl", ""), new("OpenAI:ApiKey", "")]);
            await using var runtime = await BotRuntime.StartAsync(context, settings, cancellationToken).ConfigureAwait(false);
            var evalFolder = result.GetValue(eval) is { } given ? Path.GetFullPath(given, context.CurrentDirectory) : null;
            var evaluation = await BotEvaluator.RunAsync(runtime.Bot, evalFolder, cancellationToken).ConfigureAwait(false);
            var document = JsonSerializer.Serialize(evaluation, ReplyJson.Options);
            if (result.GetValue(report) is { } reportFolder)
            {
                var target = Path.GetFullPath(reportFolder, context.CurrentDirectory);
                Directory.CreateDirectory(target);
                await AtomicFile.WriteAllTextAsync(Path.Combine(target, "report.html"), BotEvaluationHtml.Render(evaluation), cancellationToken).ConfigureAwait(false);
                await AtomicFile.WriteAllTextAsync(Path.Combine(target, "evaluation.json"), document, cancellationToken).ConfigureAwait(false);
                await context.Error.WriteLineAsync($"Report written to {Path.Combine(target, "report.html")}").ConfigureAwait(false);
            }

            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(document).ConfigureAwait(false);
            }
            else
            {
                foreach (var line in Lines(evaluation))
                {
                    await context.Out.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            return evaluation.Failed == 0 ? ExitCodes.Success : ExitCodes.ChecksFailed;
        });
        return command;
    }

    private static IEnumerable<string> Lines(BotEvaluation evaluation)
    {
        static string N(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        foreach (var c in evaluation.Checks)
        {
            yield return $"{(c.Passed ? "ok  " : "FAIL")} {c.Kind,-12} {c.File}:{c.Line}  {c.Input}" + (c.Passed ? "" : $"\n       expected {c.Expected}; got {c.Actual}");
        }

        yield return "";
        yield return "Accuracy per intent:";
        foreach (var a in evaluation.Intents)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"  {a.Intent,-28} {a.Correct,3}/{a.Total,-3} {a.Accuracy,6:P0}");
        }

        yield return "";
        yield return "Suggested thresholds (intent: now → suggested; checks kept; out-of-scope checks let in):";
        foreach (var t in evaluation.Thresholds)
        {
            yield return t.Suggested is { } s
                ? $"  {t.Intent,-28} {N(t.Current)} → {N(s)}; {t.Kept}/{t.Checks} kept; {t.LetIn}/{t.OutOfScope} let in"
                : $"  {t.Intent,-28} {N(t.Current)} (no checks)";
        }

        yield return "";
        yield return $"{evaluation.Bot}: {evaluation.Passed}/{evaluation.Checks.Count} checks passed ("
            + string.Join(", ", evaluation.ByKind.Select(k => $"{k.Kind} {k.Passed}/{k.Total}")) + ")";
    }
}
