namespace Parley.Nlu.Reports;

/// <summary>One epoch of a training run, for the report's training curve.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean training loss.</param>
/// <param name="ValidationLoss">The validation loss, if measured.</param>
/// <param name="ValidationAccuracy">The validation accuracy (0–1), if measured.</param>
public sealed record TrainingCurvePoint(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy);
