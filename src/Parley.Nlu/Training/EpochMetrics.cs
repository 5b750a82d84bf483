namespace Parley.Nlu.Training;

/// <summary>What one epoch (Adam) or iteration (L-BFGS) of training achieved.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="TrainLoss">The mean (class-weighted) cross-entropy on the training data plus the L2 penalty; for Adam, averaged over the epoch's batches.</param>
/// <param name="ValidationLoss">The mean cross-entropy on the validation data; <see cref="double.NaN"/> without validation data.</param>
/// <param name="ValidationAccuracy">The share of validation items whose most probable class is right; <see cref="double.NaN"/> without validation data.</param>
/// <param name="Elapsed">The time since training of this head started.</param>
/// <param name="WithOosClass">
/// <see langword="true"/> for the head trained with an explicit <c>oos</c> class (trained after the in-scope head when
/// labelled out-of-scope examples exist); its validation metrics include the <c>oos</c> items.
/// </param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double ValidationLoss, double ValidationAccuracy, TimeSpan Elapsed, bool WithOosClass = false);
