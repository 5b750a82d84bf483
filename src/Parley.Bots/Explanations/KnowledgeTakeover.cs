namespace Parley.Bots.Explanations;

/// <summary>
/// The knowledge took a message from an intent that only the typo-tolerant gate let in: the message had no misspelt
/// word, and a passage of a document other than the intent's <c>source</c> scored at least the override.
/// </summary>
/// <param name="Intent">The intent the message was taken from.</param>
/// <param name="PassageId">The passage (<c>file#section</c>).</param>
/// <param name="Score">Its score.</param>
/// <param name="Threshold">The score a passage needs to take a message (<see cref="Intents.IntentGate.KnowledgeOverride"/>).</param>
public sealed record KnowledgeTakeover(string Intent, string PassageId, double Score, double Threshold);
