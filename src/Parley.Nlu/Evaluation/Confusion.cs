namespace Parley.Nlu.Evaluation;

/// <summary>How often items of one label were predicted as another.</summary>
/// <param name="Gold">The true label.</param>
/// <param name="Predicted">The predicted label.</param>
/// <param name="Count">The number of such items.</param>
public sealed record Confusion(string Gold, string Predicted, int Count);
