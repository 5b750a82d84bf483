namespace Parley.Nlu.Training;

/// <summary>Where a fine-tuning run stands, reported after every step and at every epoch's end.</summary>
/// <param name="Step">Steps done, from 1.</param>
/// <param name="TotalSteps">Steps in the whole run if it is not stopped early.</param>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">The mean training loss of the epoch so far.</param>
/// <param name="ValidationAccuracy">At an epoch's end, the validation accuracy; otherwise null.</param>
/// <param name="Elapsed">Time spent training in this process.</param>
/// <param name="Remaining">The estimated time left for the remaining steps at this run's pace.</param>
public sealed record EncoderTrainingProgress(int Step, int TotalSteps, int Epoch, double Loss, double? ValidationAccuracy, TimeSpan Elapsed, TimeSpan Remaining)
{
    /// <summary>Whether this is the report at an epoch's end (with <see cref="ValidationAccuracy"/>).</summary>
    public bool IsEpochEnd => ValidationAccuracy is not null;
}
