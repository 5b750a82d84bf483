namespace Parley.Nlu.Training;

/// <summary>One out-of-scope strategy as measured on the validation data.</summary>
/// <param name="Mode">The strategy.</param>
/// <param name="Threshold">Its global max-probability threshold (0 when it uses none).</param>
/// <param name="InScopeAccuracy">In-scope validation items classified right and not rejected, as a share of in-scope items.</param>
/// <param name="OosRecall">Out-of-scope validation items rejected, as a share of out-of-scope items; <see langword="null"/> without any.</param>
/// <param name="Score">The criterion (<see cref="OosCalibration.Criterion"/>); higher is better.</param>
public sealed record OosCandidate(OosMode Mode, double Threshold, double InScopeAccuracy, double? OosRecall, double Score);
