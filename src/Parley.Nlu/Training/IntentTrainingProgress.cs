namespace Parley.Nlu.Training;

/// <summary>Where <see cref="IntentModelTrainer"/> reports its progress.</summary>
public sealed class IntentTrainingProgress
{
    /// <summary>Receives (done, total) while the texts are turned into features.</summary>
    public IProgress<(int Done, int Total)>? Featurizing { get; init; }

    /// <summary>Receives the metrics of each epoch.</summary>
    public IProgress<EpochMetrics>? Epochs { get; init; }

    /// <summary>
    /// Receives the number of training examples when training starts, before anything is featurized or fine-tuned.
    /// Reported by whatever decides to train (a bot's <c>PackIntentModels</c>), not by <see cref="IntentModelTrainer"/>.
    /// </summary>
    public IProgress<int>? Started { get; init; }

    /// <summary>Receives how long training took, once the model is trained and saved; reported as <see cref="Started"/> is.</summary>
    public IProgress<TimeSpan>? Finished { get; init; }
}
