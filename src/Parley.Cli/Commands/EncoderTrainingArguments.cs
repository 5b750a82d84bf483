using System.CommandLine;
using System.Text.Json.Nodes;
using Parley.Cli.Rendering;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Training;
using Parley.Nlu.Torch;
using Parley.Nlu.Torch.Training;

namespace Parley.Cli.Commands;

/// <summary>
/// The options of <c>parley nlu train</c> that fine-tune the encoder (<c>--method full|lora|contrastive</c>,
/// <c>--resume</c>, …) and the fine-tuning itself; <c>--method head</c> does not come here.
/// </summary>
internal sealed class EncoderTrainingArguments
{
    /// <summary>The methods that fine-tune the encoder.</summary>
    public static readonly string[] Methods = ["full", "lora", "contrastive"];

    /// <summary>The command-line option of each <see cref="EncoderTrainerOptions"/> setting that has one.</summary>
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        [nameof(EncoderTrainerOptions.Epochs)] = "--encoder-epochs",
        [nameof(EncoderTrainerOptions.EncoderLearningRate)] = "--encoder-lr",
        [nameof(EncoderTrainerOptions.AdapterLearningRate)] = "--encoder-lr",
        [nameof(EncoderTrainerOptions.LoraRank)] = "--lora-rank",
        [nameof(EncoderTrainerOptions.LoraAlpha)] = "--lora-alpha",
        [nameof(EncoderTrainerOptions.LoraTargets)] = "--lora-targets",
        [nameof(EncoderTrainerOptions.TrainWordEmbeddings)] = "--train-word-embeddings",
        [nameof(EncoderTrainerOptions.FrozenLayers)] = "--freeze-layers",
        [nameof(EncoderTrainerOptions.Resume)] = "--resume",
        [nameof(EncoderTrainerOptions.CheckpointDirectory)] = "--checkpoint",
    };

    private readonly EncoderTrainerOptions _defaults = new();

    public EncoderTrainingArguments()
    {
        Resume = new Option<bool>("--resume") { Description = "Continue a fine-tuning run (full, lora, contrastive) from its checkpoint, after it was stopped." };
        Checkpoint = new Option<string?>("--checkpoint") { Description = "The fine-tuning checkpoint folder (default: <model folder>.training)." };
        EncoderEpochs = new Option<int>("--encoder-epochs") { Description = "The most fine-tuning epochs (early stopping may end sooner).", DefaultValueFactory = _ => _defaults.Epochs };
        EncoderLearningRate = new Option<double?>("--encoder-lr") { Description = $"The encoder's peak learning rate (default {_defaults.EncoderLearningRate}; LoRA adapters {_defaults.AdapterLearningRate})." };
        LoraRank = new Option<int>("--lora-rank") { Description = "The LoRA rank r.", DefaultValueFactory = _ => _defaults.LoraRank };
        LoraAlpha = new Option<double>("--lora-alpha") { Description = "The LoRA scale α (updates are scaled by α/r).", DefaultValueFactory = _ => _defaults.LoraAlpha };
        TrainWordEmbeddings = new Option<bool>("--train-word-embeddings") { Description = "full and contrastive: also train the word-embedding table (half the encoder's weights; slower, measured no better)." };
        FrozenLayers = new Option<int>("--freeze-layers") { Description = "full and contrastive: leave this many of the encoder's 6 layers, from the bottom, as they are (faster steps).", DefaultValueFactory = _ => _defaults.FrozenLayers };
        LoraTargets = new Option<string>("--lora-targets") { Description = "Comma-separated layers that get adapters: query, key, value, attention.output.dense, intermediate.dense, output.dense.", DefaultValueFactory = _ => string.Join(',', _defaults.LoraTargets) };
    }

    public Option<bool> Resume { get; }

    public Option<string?> Checkpoint { get; }

    public Option<int> EncoderEpochs { get; }

    public Option<double?> EncoderLearningRate { get; }

    public Option<int> LoraRank { get; }

    public Option<double> LoraAlpha { get; }

    public Option<string> LoraTargets { get; }

    public Option<bool> TrainWordEmbeddings { get; }

    public Option<int> FrozenLayers { get; }

    public static bool IsFineTuning(string method) => Methods.Contains(method, StringComparer.Ordinal);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Resume, Checkpoint, EncoderEpochs, EncoderLearningRate, TrainWordEmbeddings, FrozenLayers, LoraRank, LoraAlpha, LoraTargets })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The fine-tuning options the command line asks for, checked before any work is done (a bad one is a usage error
    /// naming its option, not a failure after the augmentation check or the large-data prompt).
    /// </summary>
    public EncoderTrainerOptions Options(CliContext context, ParseResult result, string method, FeaturizerSettings features, string modelFolder, int seed)
    {
        if (features.Kind is not (FeaturizerSettings.Embeddings or FeaturizerSettings.Combined))
        {
            throw new CliException(
                $"--method {method} fine-tunes the sentence encoder; it needs --features {FeaturizerSettings.Embeddings} or {FeaturizerSettings.Combined}, not {features.Kind}", exitCode: ExitCodes.Usage);
        }

        var kind = method switch { "lora" => EncoderTrainingMethod.Lora, "contrastive" => EncoderTrainingMethod.Contrastive, _ => EncoderTrainingMethod.Full };
        var options = new EncoderTrainerOptions
        {
            Method = kind,
            Epochs = result.GetValue(EncoderEpochs),
            TrainWordEmbeddings = result.GetValue(TrainWordEmbeddings),
            FrozenLayers = result.GetValue(FrozenLayers),
            LoraRank = result.GetValue(LoraRank),
            LoraAlpha = result.GetValue(LoraAlpha),
            LoraTargets = result.GetValue(LoraTargets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Seed = seed,
            CheckpointDirectory = CheckpointFolder(context, result, modelFolder),
            Resume = result.GetValue(Resume),
        };
        if (result.GetValue(EncoderLearningRate) is { } rate)
        {
            options.EncoderLearningRate = rate;
            options.AdapterLearningRate = rate;
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException(OptionError(e), e, ExitCodes.Usage);
        }

        return options;
    }

    /// <summary>Fine-tunes the encoder with <paramref name="options"/> (from <see cref="Options"/>) and trains the head on it; the caller saves <see cref="FineTunedIntentModel.Model"/> and then calls <see cref="FinishAsync"/>.</summary>
    public async Task<FineTunedIntentModel> TrainAsync(
        CliContext context,
        EncoderTrainerOptions options,
        string method,
        FeaturizerSettings features,
        IReadOnlyList<LabeledExample> training,
        IReadOnlyList<LabeledExample>? validation,
        TrainerOptions headOptions,
        TrainingProgressWriter headProgress,
        bool quiet,
        CancellationToken cancellationToken)
    {
        if (!quiet)
        {
            await context.Error.WriteLineAsync($"Fine-tuning the encoder ({method}); checkpoints in {options.CheckpointDirectory}{(options.Resume ? " (resuming)" : "")}.").ConfigureAwait(false);
        }

        try
        {
            return await EncoderIntentModelTrainer.TrainAsync(
                training, validation, options, headOptions, new EncoderProgressWriter(context, quiet).Progress, headProgress.Progress, cancellationToken, headFeatures: features).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            throw new CliException(e.Message, e);
        }
        catch (Exception e) when (NativeLibraryMissing(e) is { } missing)
        {
            // A build that skipped the libLibTorchSharp patch (or a copy without the natives) fails here, not in training.
            throw new CliException(
                $"fine-tuning the encoder needs libtorch, which did not load: {missing.Message.Split('\n')[0].Trim()} " +
                "(build or publish Parley with its own project files, which put the native libraries beside it; --method head needs none)", e);
        }
    }

    /// <summary>
    /// The options' own message with the command-line option in place of the setting's property name and without .NET's
    /// "(Parameter '…')" / "Actual value was …" suffixes: <c>invalid fine-tuning option --freeze-layers 6: The encoder has 6 layers; …</c>.
    /// </summary>
    internal static string OptionError(ArgumentException e)
    {
        var message = e.Message;
        var actual = e is ArgumentOutOfRangeException { ActualValue: { } value } ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
        if (actual is not null)
        {
            message = message.Replace($"{Environment.NewLine}Actual value was {actual}.", "", StringComparison.Ordinal);
        }

        if (e.ParamName is not { } name)
        {
            return $"invalid fine-tuning option: {message}";
        }

        message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        var option = OptionNames.GetValueOrDefault(name);
        if (option is null)
        {
            return $"invalid fine-tuning setting {name}{(actual is null ? "" : $" {actual}")}: {message}";
        }

        message = message.Replace(name, option, StringComparison.Ordinal);
        return $"invalid fine-tuning option {option}{(actual is null ? "" : $" {actual}")}: {message}";
    }

    private static DllNotFoundException? NativeLibraryMissing(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DllNotFoundException missing)
            {
                return missing;
            }
        }

        return null;
    }

    /// <summary>Copies the LoRA adapters into the saved model folder, removes the checkpoints and describes the fine-tuning for the run record.</summary>
    public async Task<JsonObject> FinishAsync(CliContext context, ParseResult result, FineTunedIntentModel model, string modelFolder, CancellationToken cancellationToken)
    {
        var training = model.Training;
        var record = new JsonObject
        {
            ["method"] = training.Options.Method.ToString().ToLowerInvariant(),
            ["best_epoch"] = training.BestEpoch,
            ["steps"] = training.Steps,
            ["resumed_at_step"] = training.ResumedAtStep,
            ["word_embeddings_trained"] = training.Options.TrainWordEmbeddings,
            ["frozen_layers"] = training.Options.FrozenLayers,
            ["trainable_parameters"] = training.TrainableParameters,
            ["total_parameters"] = training.TotalParameters,
            ["history"] = new JsonArray(training.History.Select(h => (JsonNode)new JsonObject
            {
                ["epoch"] = h.Epoch,
                ["train_loss"] = h.TrainLoss,
                ["validation_accuracy"] = double.IsFinite(h.ValidationAccuracy) ? h.ValidationAccuracy : null,
                ["steps"] = h.Steps,
            }).ToArray()),
        };
        if (model.AdapterFile is { } adapters)
        {
            var target = Path.Combine(modelFolder, EncoderIntentModelTrainer.AdapterFileName);
            var temporary = target + ".tmp";
            await using (var source = File.OpenRead(adapters))
            await using (var destination = File.Create(temporary))
            {
                await source.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, target, overwrite: true);
            record["adapter_file"] = target;
            record["adapter_bytes"] = new FileInfo(target).Length;
        }

        // The checkpoints (up to three copies of the encoder) only serve --resume; the model folder has what it needs.
        var checkpoints = CheckpointFolder(context, result, modelFolder);
        try
        {
            Directory.Delete(checkpoints, recursive: true);
        }
        catch (IOException)
        {
            // Left behind; it does no harm.
        }

        return record;
    }

    private string CheckpointFolder(CliContext context, ParseResult result, string modelFolder) =>
        Path.GetFullPath(result.GetValue(Checkpoint) ?? Path.TrimEndingDirectorySeparator(modelFolder) + ".training", context.CurrentDirectory);
}
