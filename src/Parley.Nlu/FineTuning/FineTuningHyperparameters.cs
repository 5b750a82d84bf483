using Parley.Nlu.Training;

namespace Parley.Nlu.FineTuning;

/// <summary>
/// OpenAI's fine-tuning hyperparameters mapped onto <see cref="TrainerOptions"/>; a null value is OpenAI's
/// <c>"auto"</c>, which keeps Parley's default.
/// </summary>
public sealed class FineTuningHyperparameters
{
    /// <summary>
    /// <c>n_epochs</c>: train exactly this many epochs with early stopping off (the best epoch's weights are still
    /// kept). Null (<c>"auto"</c>): up to <see cref="TrainerOptions.Epochs"/> epochs with early stopping.
    /// </summary>
    public int? Epochs { get; set; }

    /// <summary><c>batch_size</c>: Adam's mini-batch size. Null: <see cref="TrainerOptions.BatchSize"/>.</summary>
    public int? BatchSize { get; set; }

    /// <summary><c>learning_rate_multiplier</c>: scales <see cref="TrainerOptions.LearningRate"/>. Null: 1.</summary>
    public double? LearningRateMultiplier { get; set; }

    /// <summary><c>seed</c>: seeds the validation holdout and batch shuffling. Default <see cref="TrainerOptions.Seed"/>'s default.</summary>
    public int Seed { get; set; } = new TrainerOptions().Seed;

    /// <summary>The trainer settings these hyperparameters stand for.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public TrainerOptions ToTrainerOptions()
    {
        var options = new TrainerOptions { Seed = Seed };
        if (Epochs is { } epochs)
        {
            options.Epochs = epochs;
            options.Patience = 0;
            options.MinSteps = 0;
        }

        if (BatchSize is { } batchSize)
        {
            options.BatchSize = batchSize;
        }

        if (LearningRateMultiplier is { } multiplier)
        {
            options.LearningRate *= multiplier;
        }

        options.Validate();
        return options;
    }
}
