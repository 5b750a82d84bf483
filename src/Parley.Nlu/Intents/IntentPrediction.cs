namespace Parley.Nlu.Intents;

/// <summary>The ranked intents for one utterance.</summary>
/// <param name="Top">Candidate intents, best first.</param>
public sealed record IntentPrediction(IReadOnlyList<IntentScore> Top)
{
    /// <summary>The best candidate, or <see langword="null"/> when no intent is known.</summary>
    public IntentScore? Best => Top.Count > 0 ? Top[0] : null;
}
