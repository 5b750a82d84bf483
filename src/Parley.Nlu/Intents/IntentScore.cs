namespace Parley.Nlu.Intents;

/// <summary>An intent and how confident the classifier is in it.</summary>
/// <param name="Intent">The intent name.</param>
/// <param name="Confidence">
/// The classifier's confidence; for the nearest-example classifier, the cosine similarity (−1…1) of the closest example.
/// </param>
/// <param name="Example">The training example that matched best, when the classifier works by examples.</param>
public sealed record IntentScore(string Intent, double Confidence, string? Example = null);
