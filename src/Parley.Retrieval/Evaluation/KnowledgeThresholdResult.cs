namespace Parley.Retrieval.Evaluation;

/// <summary>How a knowledge threshold does on labelled questions (see <see cref="KnowledgeThreshold"/>).</summary>
/// <param name="Threshold">The minimum score to answer.</param>
/// <param name="Precision">The share of answers from a relevant document (1 when nothing is answered).</param>
/// <param name="Recall">The share of in-scope questions answered from a relevant document.</param>
/// <param name="OutOfScopeAnswered">Out-of-scope questions answered anyway.</param>
/// <param name="OutOfScope">Out-of-scope questions in the set.</param>
public sealed record KnowledgeThresholdResult(double Threshold, double Precision, double Recall, int OutOfScopeAnswered, int OutOfScope);
