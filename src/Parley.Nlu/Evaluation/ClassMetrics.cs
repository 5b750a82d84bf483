namespace Parley.Nlu.Evaluation;

/// <summary>Precision, recall and F1 of one label.</summary>
/// <param name="Label">The label.</param>
/// <param name="Precision">Correct predictions of the label over all predictions of it (0 when never predicted).</param>
/// <param name="Recall">Correct predictions of the label over its true occurrences (0 when it never occurs).</param>
/// <param name="F1">The harmonic mean of precision and recall (0 when both are 0).</param>
/// <param name="Support">How many items truly have the label.</param>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
