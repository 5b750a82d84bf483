using Parley.Nlu.Torch.Training;
using Parley.Nlu.Training;

namespace Parley.Nlu.Torch;

/// <summary>
/// <see cref="IEncoderFineTuner"/> on TorchSharp: <see cref="EncoderIntentModelTrainer"/> with
/// <see cref="EncoderTrainerOptions"/>' defaults, the request's epochs, batch size and learning-rate multiplier, and no
/// checkpoints (a run is not resumed; it starts again). libtorch is loaded on the first run, so a host that never
/// fine-tunes never loads it.
/// </summary>
public sealed class TorchEncoderFineTuner : IEncoderFineTuner
{
    private static readonly EncoderTrainerOptions Defaults = new();

    /// <inheritdoc />
    public int DefaultEpochs => Defaults.Epochs;

    /// <inheritdoc />
    public int DefaultBatchSize => Defaults.BatchSize;

    /// <inheritdoc />
    public async Task<EncoderFineTuning> TrainAsync(EncoderFineTuningRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = ToOptions(request);
        var head = request.HeadOptions ?? new TrainerOptions { Seed = request.Seed };
        FineTunedIntentModel trained;
        try
        {
            trained = await EncoderIntentModelTrainer.TrainAsync(
                request.Training, request.Validation, options, head, request.Progress, request.HeadProgress, cancellationToken, exportFolder: request.WorkFolder).ConfigureAwait(false);
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            throw new EncoderFineTuningException(message, e);
        }

        var run = trained.Training;
        return new EncoderFineTuning
        {
            Model = trained.Model,
            Method = request.Method,
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            LearningRateMultiplier = request.LearningRateMultiplier ?? 1.0,
            LearningRate = options.Method == EncoderTrainingMethod.Lora ? options.AdapterLearningRate : options.EncoderLearningRate,
            EpochsRun = run.History.Count,
            BestEpoch = run.BestEpoch,
            Steps = run.Steps,
            TrainableParameters = run.TrainableParameters,
            TotalParameters = run.TotalParameters,
            Resources = trained,
        };
    }

    /// <summary>The trainer settings of <paramref name="request"/>.</summary>
    /// <exception cref="EncoderFineTuningException">The method is not an encoder method, or a value is out of range.</exception>
    internal static EncoderTrainerOptions ToOptions(EncoderFineTuningRequest request)
    {
        var options = new EncoderTrainerOptions
        {
            Method = request.Method switch
            {
                TrainingMethods.Full => EncoderTrainingMethod.Full,
                TrainingMethods.Lora => EncoderTrainingMethod.Lora,
                TrainingMethods.Contrastive => EncoderTrainingMethod.Contrastive,
                _ => throw new EncoderFineTuningException(
                    $"'{request.Method}' does not fine-tune the encoder; use {TrainingMethods.Full}, {TrainingMethods.Lora} or {TrainingMethods.Contrastive}"),
            },
            Seed = request.Seed,
        };
        if (request.Epochs is { } epochs)
        {
            // OpenAI's n_epochs: exactly this many, no early stop (the best epoch's weights are still kept).
            options.Epochs = epochs;
            options.MinEpochs = epochs;
            options.Patience = 0;
        }

        if (request.BatchSize is { } batchSize)
        {
            options.BatchSize = batchSize;
        }

        if (request.LearningRateMultiplier is { } multiplier)
        {
            options.EncoderLearningRate *= multiplier;
            options.AdapterLearningRate *= multiplier;
            options.HeadLearningRate *= multiplier;
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new EncoderFineTuningException($"invalid fine-tuning setting: {e.Message}", e);
        }

        return options;
    }

    /// <summary>
    /// The user's message for an expected failure: data the trainer refuses, or libtorch that did not load (a copy
    /// without the native libraries, or one whose libLibTorchSharp was not patched for this system's libstdc++); null
    /// for anything else.
    /// </summary>
    internal static string? Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                return $"fine-tuning the encoder needs libtorch, which did not load: {inner.Message.Split('\n')[0].Trim()} " +
                    "(build or publish Parley with its own project files, which put the native libraries beside it; the head method needs none)";
            }
        }

        return e switch
        {
            InvalidDataException => e.Message,
            ArgumentException and not (ArgumentOutOfRangeException or ArgumentNullException) => e.Message,
            _ => null,
        };
    }
}
