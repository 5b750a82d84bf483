using Parley.Nlu.Intents;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Intents;

/// <summary>
/// What the gates of <see cref="BotIntentClassifier"/> saw while classifying a message as written, for explanations
/// ("why this answer"): filled by <see cref="BotIntentClassifier.ClassifyReadingAsync(string, IntentGateTrace?, CancellationToken)"/>.
/// </summary>
public sealed class IntentGateTrace
{
    /// <summary>
    /// The typo-tolerant character n-gram gate's closest intent, when it was asked (the embedding gate turned the
    /// message down); null when it was not.
    /// </summary>
    public IntentScore? TypoGate { get; internal set; }

    /// <summary>The similarity <see cref="TypoGate"/> had to reach.</summary>
    public double TypoGateThreshold { get; internal set; }

    /// <summary>
    /// The intent the trained model (or without one, the nearest example) named for a message only <see cref="TypoGate"/>
    /// let in, when it was another than the typo gate's: the typo gate vouches for its own intent only, so the message
    /// was out of scope. Null otherwise.
    /// </summary>
    public string? TypoGateOverruledBy { get; internal set; }

    /// <summary>
    /// The passage that took the message from the intent the typo gate alone let in (no misspelt word, and a passage of
    /// another document than the intent's <c>source</c> scored at least <see cref="IntentGate.KnowledgeOverride"/>);
    /// null when the knowledge did not take it.
    /// </summary>
    public KnowledgeHit? KnowledgeTookOver { get; internal set; }

    /// <summary>The intent <see cref="KnowledgeTookOver"/> took the message from.</summary>
    public string? TakenFrom { get; internal set; }

    /// <summary>
    /// The trained model's most probable intent when the gates let the message in and the model then ruled it out of
    /// scope; null when there is no trained model or it did not.
    /// </summary>
    public IntentScore? ModelRejected { get; internal set; }

    /// <summary>
    /// Whether the message, out of scope as a whole, matched by one of its sentences (the <c>ReadAs</c> of
    /// <see cref="BotIntentClassifier.ClassifyReadingAsync(string, IntentGateTrace?, CancellationToken)"/>).
    /// </summary>
    public bool ReadOneSentence { get; internal set; }

    /// <summary>
    /// The words of a Chinese message that the bot's examples and knowledge never use, when they made a message the gate
    /// let in only narrowly out of scope (<see cref="BotIntentClassifier.OwnWords"/>); null otherwise.
    /// </summary>
    public IReadOnlyList<string>? UnknownWords { get; internal set; }

    /// <summary>The probability <see cref="ModelRejected"/>'s intent had to reach in the model (its calibrated threshold), when known.</summary>
    public double? ModelThreshold { get; internal set; }
}
