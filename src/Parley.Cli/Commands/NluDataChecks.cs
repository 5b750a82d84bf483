using Parley.Nlu.Intents;
using Parley.Nlu.Models;
using Parley.Nlu.Training;

namespace Parley.Cli.Commands;

/// <summary>The checks <c>nlu train</c> and <c>nlu eval</c> make of their data before they start: errors stop them, warnings are printed.</summary>
internal static class NluDataChecks
{
    /// <summary>Refuses data a model cannot be trained on (exit 3); prints the warnings to standard error.</summary>
    public static async Task BeforeTrainingAsync(
        CliContext context, string dataPath, IReadOnlyList<LabeledExample> training, IReadOnlyList<LabeledExample>? validation, TrainerOptions options)
    {
        var (errors, warnings) = TrainingDataCheck.Check(training, validation, options);
        if (errors.Count > 0)
        {
            throw new CliException($"{dataPath}: cannot train: {errors[0]}");
        }

        foreach (var warning in warnings)
        {
            await context.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }
    }

    /// <summary>Warns when evaluation items carry intents the model does not know (they can only count as errors).</summary>
    public static async Task BeforeEvaluationAsync(CliContext context, string dataPath, IntentModel model, IEnumerable<string> labels)
    {
        var known = model.Labels.ToHashSet(StringComparer.Ordinal);
        var unknown = labels.Where(l => l != OutOfScope.Label && !known.Contains(l)).ToArray();
        if (unknown.Length > 0)
        {
            var names = unknown.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var shown = string.Join(", ", names.Take(5).Select(n => $"'{n}'")) + (names.Length > 5 ? $" and {names.Length - 5} more" : "");
            await context.Error.WriteLineAsync(
                $"warning: {dataPath}: {unknown.Length} item{(unknown.Length == 1 ? " is" : "s are")} labelled with intents the model does not know ({shown}): they count as errors").ConfigureAwait(false);
        }
    }
}
