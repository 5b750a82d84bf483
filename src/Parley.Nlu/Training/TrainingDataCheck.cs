using Parley.Nlu.Intents;

namespace Parley.Nlu.Training;

/// <summary>
/// What makes labelled data unfit to train an intent model (errors), or weaker than it looks (warnings), said before
/// training starts: fewer than two intents, intents too small to be validated, validation labels the training data
/// does not have.
/// </summary>
public static class TrainingDataCheck
{
    /// <summary>Checks training (and validation) examples for <see cref="IntentModelTrainer"/>.</summary>
    /// <param name="training">The training examples.</param>
    /// <param name="validation">The validation examples, or null when a part of the training data will be held out.</param>
    /// <param name="options">The trainer settings (for the held-out share); null for the defaults.</param>
    /// <returns>One line per problem.</returns>
    public static (IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) Check(
        IReadOnlyList<LabeledExample> training, IReadOnlyList<LabeledExample>? validation, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        options ??= new TrainerOptions();
        var errors = new List<string>();
        var warnings = new List<string>();
        var counts = training.Where(e => e.Intent != OutOfScope.Label)
            .GroupBy(e => e.Intent, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (counts.Count < 2)
        {
            errors.Add(counts.Count == 0
                ? "no in-scope examples to train on: add utterances labelled with their intents"
                : $"only one intent ('{counts.Keys.Single()}'): a classifier needs at least 2 intents to tell apart; add examples of another intent");
            return (errors, warnings);
        }

        if (validation is null && options.ValidationFraction > 0)
        {
            // StratifiedHoldout holds out round(n · fraction) of each intent, always leaving one for training.
            var unvalidated = counts.Where(c => Math.Min((int)Math.Round(c.Value * options.ValidationFraction, MidpointRounding.AwayFromZero), c.Value - 1) == 0)
                .Select(c => c.Key).Order(StringComparer.Ordinal).ToArray();
            if (unvalidated.Length == counts.Count)
            {
                warnings.Add($"no intent has enough examples to hold any out for validation (with --val {options.ValidationFraction:0.##}, an intent needs {(int)Math.Ceiling(0.5 / options.ValidationFraction)}): " +
                    "there is no early stopping and no out-of-scope threshold; write more examples or give --val FILE");
            }
            else if (unvalidated.Length > 0)
            {
                warnings.Add($"{Count(unvalidated.Length, "intent")} with too few examples to hold one out for validation: {List(unvalidated)}; write more examples");
            }
        }

        if (validation is not null)
        {
            var unknown = validation.Where(e => e.Intent != OutOfScope.Label && !counts.ContainsKey(e.Intent)).ToArray();
            if (unknown.Length > 0)
            {
                warnings.Add($"{Count(unknown.Length, "validation item")} labelled with intents the training data does not have ({List(unknown.Select(e => e.Intent).Distinct(StringComparer.Ordinal))}): they count as errors");
            }

            if (validation.Count == 0)
            {
                warnings.Add("the validation data is empty: there is no early stopping and no out-of-scope threshold");
            }
        }

        return (errors, warnings);
    }

    /// <summary>"3 items", "1 item".</summary>
    internal static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>Up to 5 names, quoted, then how many more.</summary>
    internal static string List(IEnumerable<string> names)
    {
        var all = names.Order(StringComparer.Ordinal).ToArray();
        var shown = string.Join(", ", all.Take(5).Select(n => $"'{n}'"));
        return all.Length > 5 ? $"{shown} and {all.Length - 5} more" : shown;
    }
}
