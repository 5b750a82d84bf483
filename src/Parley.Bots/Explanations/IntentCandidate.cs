namespace Parley.Bots.Explanations;

/// <summary>An intent the message was compared with: its closest example's similarity and the gate it had to pass.</summary>
/// <param name="Intent">The intent.</param>
/// <param name="Similarity">The similarity of the message to the intent's closest example.</param>
/// <param name="Threshold">The gate: the intent's own threshold, else the bot's <c>thresholds.intent</c>.</param>
/// <param name="Passed">Whether the similarity reaches the gate.</param>
public sealed record IntentCandidate(string Intent, double Similarity, double Threshold, bool Passed);
