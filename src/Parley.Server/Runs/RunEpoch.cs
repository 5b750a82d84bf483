namespace Parley.Server.Runs;

/// <summary>One epoch of a run's history.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean training loss.</param>
/// <param name="ValidationLoss">The validation loss, when measured.</param>
/// <param name="ValidationAccuracy">The validation accuracy (0–1), when measured.</param>
public sealed record RunEpoch(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy);
