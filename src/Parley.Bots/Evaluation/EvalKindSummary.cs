namespace Parley.Bots.Evaluation;

/// <summary>How many checks of one kind passed.</summary>
/// <param name="Kind">One of <see cref="EvalCheckKinds"/>.</param>
/// <param name="Passed">How many passed.</param>
/// <param name="Total">How many there are.</param>
public sealed record EvalKindSummary(string Kind, int Passed, int Total);
