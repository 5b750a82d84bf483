namespace Parley.Nlu.Torch.Training;

/// <summary>What one epoch of fine-tuning achieved.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean training loss over the epoch's steps.</param>
/// <param name="ValidationAccuracy">The validation accuracy at the epoch's end (NaN without validation data).</param>
/// <param name="Steps">Steps done by the epoch's end, counted from the run's start.</param>
public sealed record EncoderEpoch(int Epoch, double TrainLoss, double ValidationAccuracy, int Steps);
