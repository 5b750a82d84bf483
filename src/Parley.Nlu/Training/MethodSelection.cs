using System.Globalization;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Training;

/// <summary>
/// Resolves <see cref="TrainingMethods.Auto"/> by the data: its features (script) and how many examples each intent
/// has. The rule fine-tunes the encoder only where fine-tuning was measured to beat the head on validation data at a
/// training time a user waits for; so far that is nowhere (docs/BENCHMARKS.md, "Choosing --method auto"): on every data
/// set measured the head on frozen embeddings was already at or above the targets and trained in seconds, while
/// fine-tuning took minutes to hours on two cores.
/// </summary>
public static class MethodSelection
{
    /// <summary>
    /// The method to train with: <paramref name="requested"/> unless it is <see cref="TrainingMethods.Auto"/>.
    /// </summary>
    /// <param name="requested">The requested method.</param>
    /// <param name="featureKind">The resolved featurizer kind (never <see cref="FeaturizerSettings.Auto"/>).</param>
    /// <param name="training">The training examples.</param>
    /// <returns>The method, and a sentence that says why (for the user and the run record).</returns>
    public static (string Method, string Reason) Resolve(string requested, string featureKind, IReadOnlyList<LabeledExample> training)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(featureKind);
        ArgumentNullException.ThrowIfNull(training);
        if (!string.Equals(requested, TrainingMethods.Auto, StringComparison.Ordinal))
        {
            if (!TrainingMethods.All.Contains(requested, StringComparer.Ordinal))
            {
                throw new ArgumentOutOfRangeException(nameof(requested), requested, $"Unknown method; use one of {string.Join(", ", TrainingMethods.All)}.");
            }

            return (requested, $"method {requested} (as requested)");
        }

        if (!string.Equals(featureKind, FeaturizerSettings.Embeddings, StringComparison.Ordinal))
        {
            return (TrainingMethods.Head, $"method {TrainingMethods.Head}: the features are {featureKind}, and only the sentence encoder can be fine-tuned");
        }

        var perIntent = training.Where(e => e.Intent != OutOfScope.Label).GroupBy(e => e.Intent, StringComparer.Ordinal).Select(g => g.Count()).Order().ToArray();
        if (perIntent.Length == 0)
        {
            return (TrainingMethods.Head, $"method {TrainingMethods.Head}: no in-scope intents");
        }

        var median = perIntent[perIntent.Length / 2];
        var sizes = string.Create(CultureInfo.InvariantCulture, $"{perIntent.Length} intents, median {median} examples per intent, {perIntent.Sum()} in all");
        return (TrainingMethods.Head,
            $"method {TrainingMethods.Head} ({sizes}): the head on frozen embeddings trains in seconds, and fine-tuning the encoder has not been measured to beat it at a cost worth paying on a CPU; --method contrastive|lora|full fine-tunes it");
    }
}
