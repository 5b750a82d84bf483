using Parley.Nlu.Intents;

namespace Parley.Nlu.Models;

/// <summary>An <see cref="IntentModel"/>'s verdict on one utterance, with what evaluation needs.</summary>
/// <param name="Predicted">The label after out-of-scope rejection: an intent, or <see cref="OutOfScope.Label"/>.</param>
/// <param name="ClosedPredicted">The most probable in-scope intent, without rejection (closed-set prediction).</param>
/// <param name="Confidence">The probability of <paramref name="ClosedPredicted"/>.</param>
/// <param name="Top">The most probable in-scope intents with their probabilities, best first (never <c>oos</c>).</param>
public sealed record ModelPrediction(string Predicted, string ClosedPredicted, double Confidence, IReadOnlyList<IntentScore> Top)
{
    /// <summary>Whether the utterance was rejected as out of scope.</summary>
    public bool IsOutOfScope => Predicted == OutOfScope.Label;
}
