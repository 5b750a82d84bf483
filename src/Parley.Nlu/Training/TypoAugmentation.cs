using System.Globalization;
using Parley.Nlu.Data;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Training;

/// <summary>
/// Typo augmentation of training data (<c>nlu train --augment</c>): every training example gets one noisy variant
/// (<see cref="TypoNoise.ApplyNoise"/>: a character swapped, dropped or doubled, casing, final punctuation), seeded.
/// <see cref="Auto"/> keeps it only where it helps on validation data.
/// </summary>
public static class TypoAugmentation
{
    /// <summary>No augmentation.</summary>
    public const string None = "none";

    /// <summary>One noisy variant of every training example.</summary>
    public const string Typos = "typos";

    /// <summary><see cref="Typos"/> when it helps on validation (<see cref="DecideAsync"/>), else <see cref="None"/>.</summary>
    public const string Auto = "auto";

    /// <summary>The noisy variants per training example: 1 (as bots train their models, docs/BENCHMARKS.md).</summary>
    public const int Copies = 1;

    /// <summary>The choices, <see cref="Auto"/> first.</summary>
    public static IReadOnlyList<string> All { get; } = [Auto, None, Typos];

    /// <summary>The training examples followed by <see cref="Copies"/> noisy variants of each.</summary>
    /// <param name="training">The training examples.</param>
    /// <param name="seed">The seed of the noise.</param>
    public static IReadOnlyList<LabeledExample> Apply(IReadOnlyList<LabeledExample> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        return [.. training, .. TypoNoise.Variants(training, Copies, seed, noise: true)];
    }

    /// <summary>
    /// Whether augmentation helps: two heads, trained on the data without and with the variants, scored on the
    /// validation items and a noisy variant of each (the mean of the two accuracies; an item counts when the model
    /// predicts its label, out-of-scope rejection included). Augmentation is used when it scores higher (a tie keeps the
    /// data as it is). Without validation data a stratified part of the training data is held out for this.
    /// </summary>
    /// <param name="featurizer">The features (the heads are cheap; the embedding cache makes the second featurization free).</param>
    /// <param name="training">The training examples.</param>
    /// <param name="validation">The validation examples, or null.</param>
    /// <param name="options">The head's settings.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>Whether to augment, and a sentence that says why.</returns>
    public static async Task<(bool Use, string Reason)> DecideAsync(
        IFeaturizer featurizer, IReadOnlyList<LabeledExample> training, IReadOnlyList<LabeledExample>? validation, TrainerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        var train = training;
        if (validation is null || validation.Count == 0)
        {
            var (kept, held) = StratifiedHoldout.Split([.. training.Select(e => e.Intent)], options.ValidationFraction, options.Seed);
            train = [.. kept.Select(i => training[i])];
            validation = [.. held.Select(i => training[i])];
        }

        if (validation.Count == 0)
        {
            return (false, $"augment {None}: no validation items to decide on (--augment {Typos} adds typo variants anyway)");
        }

        var noisy = TypoNoise.Variants(validation, 1, options.Seed + 1, noise: true);
        LabeledExample[] scored = [.. validation, .. noisy];
        var plain = await ScoreAsync(featurizer, train, validation, scored, validation.Count, options, cancellationToken).ConfigureAwait(false);
        var augmented = await ScoreAsync(featurizer, Apply(train, options.Seed), validation, scored, validation.Count, options, cancellationToken).ConfigureAwait(false);
        var numbers = string.Create(CultureInfo.InvariantCulture,
            $"validation accuracy clean/noisy {plain.Clean:0.000}/{plain.Noisy:0.000} without, {augmented.Clean:0.000}/{augmented.Noisy:0.000} with typo variants");
        return augmented.Mean > plain.Mean
            ? (true, $"augment {Typos}: it helps on validation ({numbers})")
            : (false, $"augment {None}: typo variants did not help on validation ({numbers})");
    }

    private static async Task<(double Clean, double Noisy, double Mean)> ScoreAsync(
        IFeaturizer featurizer, IReadOnlyList<LabeledExample> train, IReadOnlyList<LabeledExample> validation, LabeledExample[] scored, int clean,
        TrainerOptions options, CancellationToken cancellationToken)
    {
        var model = await IntentModelTrainer.TrainAsync(featurizer, train, validation, options, cancellationToken: cancellationToken).ConfigureAwait(false);
        var predictions = await model.PredictBatchAsync([.. scored.Select(e => e.Text)], cancellationToken: cancellationToken).ConfigureAwait(false);
        var right = scored.Select((e, i) => predictions[i].Predicted == e.Intent).ToArray();
        var cleanAccuracy = right.Take(clean).Count(r => r) / (double)clean;
        var noisyAccuracy = right.Length > clean ? right.Skip(clean).Count(r => r) / (double)(right.Length - clean) : cleanAccuracy;
        return (cleanAccuracy, noisyAccuracy, (cleanAccuracy + noisyAccuracy) / 2);
    }
}
