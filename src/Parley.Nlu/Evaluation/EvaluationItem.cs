namespace Parley.Nlu.Evaluation;

/// <summary>One evaluated utterance.</summary>
/// <param name="Text">The utterance.</param>
/// <param name="Gold">The true label (<c>oos</c> for out-of-scope).</param>
/// <param name="Predicted">The model's label after out-of-scope rejection.</param>
/// <param name="ClosedPredicted">The best in-scope intent, without rejection (closed-set prediction).</param>
/// <param name="Confidence">The model's confidence in its best intent (maximum probability).</param>
public sealed record EvaluationItem(string Text, string Gold, string Predicted, string ClosedPredicted, double Confidence);
