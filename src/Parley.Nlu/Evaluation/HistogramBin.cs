namespace Parley.Nlu.Evaluation;

/// <summary>A confidence range and how many correct and wrong predictions fell in it.</summary>
/// <param name="From">The lower bound (inclusive).</param>
/// <param name="To">The upper bound (exclusive, except for the last bin).</param>
/// <param name="Correct">Correct predictions in the range.</param>
/// <param name="Wrong">Wrong predictions in the range.</param>
public sealed record HistogramBin(double From, double To, int Correct, int Wrong);
