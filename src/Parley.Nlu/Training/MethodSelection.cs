using System.Globalization;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Training;

/// <summary>
/// Resolves <see cref="TrainingMethods.Auto"/> by the data: its features (script) and how many examples each intent
/// has. It picks the head, and says what fine-tuning would buy: measured on two cores (docs/BENCHMARKS.md, "Encoder
/// fine-tuning" and "Choosing --method auto"), fine-tuning the encoder gains 0.2–1.5 points of accuracy (CLINC150:
/// head 0.953, LoRA 0.966 in 25 min, full 0.968 in 57 min; 77 intents × 8 examples: head 0.927, LoRA 0.929, full
/// 0.934) for 5–60 times the training time and an 88 MB model folder instead of 0.5 MB — a trade for the user to
/// choose, not a default, since bots retrain at start-up whenever their examples change.
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
            $"method {TrainingMethods.Head} ({sizes}): the head on frozen embeddings trains in seconds to minutes; fine-tuning the encoder (--method lora|full|contrastive) measured 0.2-1.5 points more accuracy for 5-60 times the training time and an 88 MB model");
    }
}
