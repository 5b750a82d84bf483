namespace Parley.Nlu.Intents;

/// <summary>Predicts the intent of an utterance.</summary>
public interface IIntentClassifier
{
    /// <summary>Ranks the known intents for <paramref name="text"/>, best first.</summary>
    /// <param name="text">The user's utterance.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The prediction; its <see cref="IntentPrediction.Top"/> is never empty when the classifier knows any intent.</returns>
    Task<IntentPrediction> ClassifyAsync(string text, CancellationToken cancellationToken = default);
}
