using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Nlu.Data;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Models;
using Parley.Nlu.Training;

namespace Parley.Bots.Intents;

/// <summary>
/// The trained intent model of a bot pack: trained from the pack's examples on first use, kept in a models folder
/// under a fingerprint of the examples and settings, and trained again when the examples change.
/// </summary>
public static class PackIntentModels
{
    /// <summary>The fewest intents a pack needs for a trained model (with fewer, the nearest-example matcher is used).</summary>
    public const int MinIntents = 2;

    /// <summary>The fewest examples every intent needs for a trained model.</summary>
    public const int MinExamplesPerIntent = 3;

    /// <summary>
    /// The one-character typo variants (<see cref="TypoNoise"/>) of every example that the out-of-scope gate also compares
    /// with, for packs whose features are sentence embeddings: 2. A typo splits a word into rare word pieces, which pulls
    /// the message's embedding away from every example ("where is my oder?" fell below the 0.70 gate); the variants meet
    /// it half way. Measured on typo variants of the shop pack's intent checks (docs/BENCHMARKS.md).
    /// </summary>
    public const int GateTypoVariants = 2;

    /// <summary>
    /// The typo variants of every training example the intent model of a pack on sentence embeddings is also trained on:
    /// 1 (docs/BENCHMARKS.md).
    /// </summary>
    public const int ModelTypoVariants = 1;

    /// <summary>The seed of the typo variants.</summary>
    public const int TypoSeed = 42;

    /// <summary>
    /// The features of the pack's intent model and gate: sentence embeddings when its examples are written mostly in
    /// Latin letters, else character n-grams (<see cref="FeatureSelection.Resolve"/>).
    /// </summary>
    /// <param name="pack">The bot pack.</param>
    public static (FeaturizerSettings Settings, string Reason) Features(BotPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return FeatureSelection.Resolve(new FeaturizerSettings { Kind = FeaturizerSettings.Auto }, pack.Intents.SelectMany(i => i.Examples));
    }

    /// <summary>
    /// A fingerprint of what the model is trained from: intents, examples, featurizer and trainer settings.
    /// </summary>
    public static string Fingerprint(BotPack pack, FeaturizerSettings features, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var text = new StringBuilder()
            .Append(JsonSerializer.Serialize(features)).Append('\n')
            .Append(JsonSerializer.Serialize(options)).Append('\n')
            .Append("typo variants ").Append(ModelTypoVariants).Append('\n');
        foreach (var intent in pack.Intents.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            foreach (var example in intent.Examples.Order(StringComparer.Ordinal))
            {
                text.Append(intent.Name).Append('\t').Append(example).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>
    /// Loads the pack's model from <paramref name="folder"/>, or trains and saves it when there is none for the current
    /// examples. Returns null when the pack is too small to train (see <see cref="MinIntents"/>).
    /// </summary>
    /// <param name="pack">The bot pack.</param>
    /// <param name="embeddings">The sentence embeddings (cached ones make re-training fast).</param>
    /// <param name="folder">The folder that holds the bots' models.</param>
    /// <param name="progress">Training progress, reported only when the model is trained.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<IntentModel?> LoadOrTrainAsync(
        BotPack pack,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        string folder,
        IntentTrainingProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (pack.Intents.Count < MinIntents || pack.Intents.Any(i => i.Examples.Count < MinExamplesPerIntent))
        {
            return null;
        }

        var features = Features(pack).Settings;
        var options = new TrainerOptions();
        var path = Path.Combine(folder, $"{pack.Name}-{Fingerprint(pack, features, options)}");
        IFeaturizer Factory(FeaturizerSettings settings) => FeaturizerFactory.Create(settings, embeddings);
        if (Directory.Exists(path))
        {
            try
            {
                return await IntentModel.LoadAsync(path, Factory, cancellationToken).ConfigureAwait(false);
            }
            catch (ModelFormatException)
            {
                // Written by another version, or damaged: train it again below.
            }
        }

        var examples = pack.Intents.SelectMany(i => i.Examples.Select(e => new LabeledExample(e, i.Name))).ToArray();
        var (training, validation) = WithTypoVariants(examples, features, options);
        var model = await IntentModelTrainer.TrainAsync(Factory(features), training, validation, options, progress, cancellationToken).ConfigureAwait(false);
        await model.SaveAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        RemoveStale(folder, pack.Name, path);
        return model;
    }

    /// <summary>
    /// For packs on sentence embeddings: the validation part held out first, then <see cref="ModelTypoVariants"/> typo
    /// variants of each training example added (never of a validation example, so validation stays honest).
    /// </summary>
    private static (LabeledExample[] Training, LabeledExample[]? Validation) WithTypoVariants(LabeledExample[] examples, FeaturizerSettings features, TrainerOptions options)
    {
        if (ModelTypoVariants == 0 || !string.Equals(features.Kind, FeaturizerSettings.Embeddings, StringComparison.Ordinal))
        {
            return (examples, null);
        }

        var (train, validation) = StratifiedHoldout.Split([.. examples.Select(e => e.Intent)], options.ValidationFraction, options.Seed);
        var kept = train.Select(i => examples[i]).ToArray();
        return ([.. kept, .. TypoNoise.Variants(kept, ModelTypoVariants, TypoSeed)], [.. validation.Select(i => examples[i])]);
    }

    private static void RemoveStale(string folder, string bot, string current)
    {
        // Only this bot's models: "<bot>-<16 hex digits>", so a bot named "shop" never removes "shop-eu"'s.
        var stales = Directory.EnumerateDirectories(folder, bot + "-*")
            .Where(d => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(d), $"^{System.Text.RegularExpressions.Regex.Escape(bot)}-[0-9a-f]{{16}}$"))
            .Where(d => !string.Equals(Path.GetFullPath(d), Path.GetFullPath(current), StringComparison.Ordinal));
        foreach (var stale in stales)
        {
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (IOException)
            {
                // Another process may be loading it; it will be removed next time.
            }
        }
    }
}
