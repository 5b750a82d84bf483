using Parley.Bots.Replies;

namespace Parley.Bots.Explanations;

/// <summary>Why a bot gave a reply (<see cref="BotExplainer"/>): how the message was matched, what was found, what acted.</summary>
/// <param name="Route">How the reply was made (<see cref="BotRoutes"/>).</param>
/// <param name="Intent">The intent the classifier chose, or null when the message was out of scope for the intents.</param>
/// <param name="Confidence">The classifier's confidence in <paramref name="Intent"/> (the trained model's, else the similarity), or null.</param>
/// <param name="Intents">The closest intents by example similarity, best first, with the gate each had to pass.</param>
/// <param name="Examples">The training examples of the chosen intent (else of the closest one) most similar to the message.</param>
/// <param name="Passages">The knowledge passages found, best first, and which the reply cites.</param>
/// <param name="Rules">The safety rules that acted on the reply.</param>
/// <param name="ToolCalls">The tool calls made for the reply.</param>
public sealed record TurnExplanation(
    string Route,
    string? Intent,
    double? Confidence,
    IReadOnlyList<IntentCandidate> Intents,
    IReadOnlyList<ExampleMatch> Examples,
    IReadOnlyList<PassageConsidered> Passages,
    IReadOnlyList<RuleHit> Rules,
    IReadOnlyList<ToolCallRecord> ToolCalls)
{
    /// <summary>
    /// The message as the intents read it when that was not as written: its misspelt words corrected to words of the
    /// examples, or one of its sentences (<see cref="ReadOneSentence"/>), because only so did it match
    /// (<see cref="Intents"/> and <see cref="Examples"/> are then for this text); null when it matched, or did not, as written.
    /// </summary>
    public string? ReadAs { get; init; }

    /// <summary>Whether <see cref="ReadAs"/> is one sentence of a message that was out of scope as a whole.</summary>
    public bool ReadOneSentence { get; init; }

    /// <summary>
    /// The typo-tolerant gate (character n-grams) when it was asked because the closest examples were below their gate:
    /// its closest intent and whether it let the message in; null when it was not asked.
    /// </summary>
    public IntentCandidate? TypoGate { get; init; }

    /// <summary>
    /// The intent named for a message only the typo gate let in, when it was another than the typo gate's, which made the
    /// message out of scope (the typo gate vouches for its own intent only); else null.
    /// </summary>
    public string? TypoGateOverruledBy { get; init; }

    /// <summary>
    /// The words of a Chinese message that the bot's examples and knowledge never use, when they made a message whose
    /// closest example was below <see cref="UnknownWordsBelow"/> out of scope; else null.
    /// </summary>
    public IReadOnlyList<string>? UnknownWords { get; init; }

    /// <summary>The similarity below which <see cref="UnknownWords"/> rule a message out (<c>IntentGate.CharNGramSure</c>), when they did.</summary>
    public double? UnknownWordsBelow { get; init; }

    /// <summary>The passage that took the message from the intent the typo gate let in, when one did; else null.</summary>
    public KnowledgeTakeover? KnowledgeTookOver { get; init; }

    /// <summary>
    /// The trained model's verdict when the gates let the message in and the model ruled it out of scope: its most
    /// probable intent and the threshold that intent missed; null otherwise.
    /// </summary>
    public ModelRejection? ModelRejected { get; init; }
}
