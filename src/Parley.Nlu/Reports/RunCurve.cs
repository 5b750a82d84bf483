namespace Parley.Nlu.Reports;

/// <summary>A training run's curve, for <see cref="TrainingCharts"/>.</summary>
/// <param name="Name">The run's name in the legend.</param>
/// <param name="Points">Its epochs, in order.</param>
/// <param name="BestEpoch">The epoch whose weights were kept (marked on the chart), or null.</param>
public sealed record RunCurve(string Name, IReadOnlyList<TrainingCurvePoint> Points, int? BestEpoch = null);
