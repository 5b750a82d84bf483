namespace Parley.Nlu.Training;

/// <summary>Where <see cref="IntentModelTrainer"/> reports its progress.</summary>
public sealed class IntentTrainingProgress
{
    /// <summary>Receives (done, total) while the texts are turned into features.</summary>
    public IProgress<(int Done, int Total)>? Featurizing { get; init; }

    /// <summary>Receives the metrics of each epoch.</summary>
    public IProgress<EpochMetrics>? Epochs { get; init; }
}
