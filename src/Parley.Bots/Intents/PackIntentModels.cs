using System.Diagnostics;
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
    /// <param name="pack">The bot pack.</param>
    /// <param name="features">The featurizer settings.</param>
    /// <param name="options">The head's trainer settings.</param>
    /// <param name="method">The resolved training method; <see cref="TrainingMethods.Head"/> leaves the fingerprint of a model trained before methods existed unchanged.</param>
    public static string Fingerprint(BotPack pack, FeaturizerSettings features, TrainerOptions options, string method = TrainingMethods.Head)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var text = new StringBuilder()
            .Append(JsonSerializer.Serialize(features)).Append('\n')
            .Append(JsonSerializer.Serialize(options)).Append('\n')
            .Append("typo variants ").Append(ModelTypoVariants).Append('\n');
        if (method != TrainingMethods.Head)
        {
            text.Append("method ").Append(method).Append('\n');
        }

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
    /// <param name="encoderFineTuner">
    /// Fine-tunes the encoder for packs whose <c>method</c> is <c>full</c>, <c>lora</c> or <c>contrastive</c>; null in a
    /// host without encoder fine-tuning, where such a pack is an error.
    /// </param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="BotPackException">The pack's method fine-tunes the encoder and <paramref name="encoderFineTuner"/> is null, or fine-tuning refused the examples.</exception>
    public static async Task<IntentModel?> LoadOrTrainAsync(
        BotPack pack,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        string folder,
        IntentTrainingProgress? progress = null,
        IEncoderFineTuner? encoderFineTuner = null,
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
        var examples = pack.Intents.SelectMany(i => i.Examples.Select(e => new LabeledExample(e, i.Name))).ToArray();
        var (method, reason) = MethodSelection.Resolve(pack.Manifest.Method, features.Kind, examples);
        var path = Path.Combine(folder, $"{pack.Name}-{Fingerprint(pack, features, options, method)}");
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

        var started = Stopwatch.GetTimestamp();
        progress?.Started?.Report(examples.Length);
        var (training, validation) = WithTypoVariants(examples, features, options);
        IntentModel model;
        if (TrainingMethods.FineTunesEncoder(method))
        {
            await FineTuneAsync(pack, method, reason, encoderFineTuner, training, validation, options, path, progress, cancellationToken).ConfigureAwait(false);
            // Loaded from the saved folder, so the model reads its own copy of the encoder (the work folder is gone).
            model = await IntentModel.LoadAsync(path, Factory, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            model = (await IntentModelTrainer.TrainAsync(Factory(features), training, validation, options, progress, cancellationToken).ConfigureAwait(false)).WithMethod(method, reason);
            await model.SaveAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        RemoveStale(folder, pack.Name, path);
        progress?.Finished?.Report(Stopwatch.GetElapsedTime(started));
        return model;
    }

    /// <summary>Fine-tunes the encoder with the pack's method, trains the head on it and saves the model (encoder included) at <paramref name="path"/>.</summary>
    private static async Task FineTuneAsync(
        BotPack pack, string method, string reason, IEncoderFineTuner? encoderFineTuner, LabeledExample[] training, LabeledExample[]? validation,
        TrainerOptions options, string path, IntentTrainingProgress? progress, CancellationToken cancellationToken)
    {
        var (file, line) = Location(pack);
        if (encoderFineTuner is null)
        {
            throw new BotPackException(file, line,
                $"method '{method}' fine-tunes the sentence encoder, which this program cannot do (it runs without Parley.Nlu.Torch): use method 'head' or 'auto', or run the bot with the parley command");
        }

        var work = path + ".training";
        try
        {
            using var tuned = await encoderFineTuner.TrainAsync(new EncoderFineTuningRequest
            {
                Method = method,
                Training = training,
                Validation = validation,
                WorkFolder = work,
                Seed = options.Seed,
                HeadOptions = options,
                HeadProgress = progress,
            }, cancellationToken).ConfigureAwait(false);
            await tuned.Model.WithMethod(method, reason).SaveAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (EncoderFineTuningException e)
        {
            throw new BotPackException(file, line, $"method '{method}': {e.Message}", e);
        }
        finally
        {
            try
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
            catch (IOException)
            {
                // Left behind; the next training replaces it.
            }
        }
    }

    private static (string File, int Line) Location(BotPack pack)
    {
        var location = pack.Manifest.MethodLocation;
        var colon = location?.LastIndexOf(':') ?? -1;
        return location is not null && colon > 0 && int.TryParse(location[(colon + 1)..], out var line)
            ? (location[..colon], line)
            : (pack.Root, 0);
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
