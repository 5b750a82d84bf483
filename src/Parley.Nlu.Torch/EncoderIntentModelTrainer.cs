using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Torch.Training;
using Parley.Nlu.Training;

namespace Parley.Nlu.Torch;

/// <summary>
/// Trains an intent model whose encoder is fine-tuned: <see cref="EncoderTrainer"/> fine-tunes all-MiniLM-L6-v2, the
/// encoder is exported as ONNX (adapters merged), and <see cref="IntentModelTrainer"/> trains the head, its early
/// stopping and out-of-scope calibration on that encoder's embeddings (or on those and character n-grams side by side,
/// <see cref="FeaturizerSettings.Combined"/>). Prediction then runs on ONNX Runtime like any
/// other intent model; the model folder holds the encoder beside the head.
/// </summary>
public static class EncoderIntentModelTrainer
{
    /// <summary>The exported encoder's name in the work folder.</summary>
    public const string EncoderFileName = "encoder.onnx";

    /// <summary>The LoRA adapters' name in the work folder.</summary>
    public const string AdapterFileName = "lora-adapters.bin";

    /// <summary>Fine-tunes the encoder, exports it and trains the head.</summary>
    /// <param name="training">The training utterances.</param>
    /// <param name="validation">Validation utterances, or null to hold out part of the training data (the same part for both stages).</param>
    /// <param name="encoderOptions">Fine-tuning settings; its <see cref="EncoderTrainerOptions.CheckpointDirectory"/> is also where the encoder is exported unless <paramref name="exportFolder"/> is given.</param>
    /// <param name="headOptions">Head settings; null for the defaults.</param>
    /// <param name="progress">Fine-tuning progress.</param>
    /// <param name="headProgress">Head training progress.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <param name="exportFolder">Where the encoder is exported; null for the checkpoint folder. With it, a run without checkpoints (none to resume from) writes no checkpoints.</param>
    /// <param name="headFeatures">
    /// The head's features: <see cref="FeaturizerSettings.Embeddings"/> (the default) or <see cref="FeaturizerSettings.Combined"/>
    /// (its n-gram settings and weight kept); the fine-tuned encoder makes the embeddings either way.
    /// </param>
    /// <exception cref="ArgumentException">The head's features are neither (character n-grams alone would not use the encoder).</exception>
    public static async Task<FineTunedIntentModel> TrainAsync(
        IReadOnlyList<LabeledExample> training,
        IReadOnlyList<LabeledExample>? validation,
        EncoderTrainerOptions encoderOptions,
        TrainerOptions? headOptions = null,
        IProgress<EncoderTrainingProgress>? progress = null,
        IntentTrainingProgress? headProgress = null,
        CancellationToken cancellationToken = default,
        string? exportFolder = null,
        FeaturizerSettings? headFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(encoderOptions);
        headFeatures ??= new FeaturizerSettings { Kind = FeaturizerSettings.Embeddings };
        if (headFeatures.Kind is not (FeaturizerSettings.Embeddings or FeaturizerSettings.Combined))
        {
            throw new ArgumentException(
                $"a fine-tuned encoder needs features {FeaturizerSettings.Embeddings} or {FeaturizerSettings.Combined}, not {headFeatures.Kind}", nameof(headFeatures));
        }

        var folder = exportFolder ?? encoderOptions.CheckpointDirectory
            ?? throw new ArgumentException("set CheckpointDirectory or an export folder: the encoder is exported there", nameof(encoderOptions));
        headOptions ??= new TrainerOptions();
        // The holdout is made once, so the head is not validated on utterances the encoder was trained on.
        var holdout = encoderOptions.Copy();
        holdout.ValidationFraction = validation is null ? headOptions.ValidationFraction : 0;

        var result = await Task.Run(() => EncoderTrainer.Train(training, validation, holdout, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            var encoderFile = Path.Combine(Path.GetFullPath(folder), EncoderFileName);
            result.Encoder.ExportOnnx(encoderFile);
            string? adapterFile = null;
            if (result.Encoder.HasAdapters)
            {
                adapterFile = Path.Combine(Path.GetFullPath(folder), AdapterFileName);
                result.Encoder.SaveAdapters(adapterFile);
            }

            var featurizer = FeaturizerFactory.Create(headFeatures with { EncoderFile = encoderFile }, null);
            var head = headOptions.Copy();
            if (result.Validation.Count == 0)
            {
                head.ValidationFraction = 0;
            }

            var model = await IntentModelTrainer.TrainAsync(
                featurizer,
                result.Training,
                result.Validation.Count == 0 ? null : result.Validation,
                head,
                headProgress,
                cancellationToken).ConfigureAwait(false);
            return new FineTunedIntentModel { Model = model, Training = result, EncoderFile = encoderFile, AdapterFile = adapterFile };
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }
}
