namespace Parley.Bots.Packs;

/// <summary>Confidence thresholds that decide how a message is answered.</summary>
public sealed class BotThresholds
{
    /// <summary>
    /// The out-of-scope gate: the minimum similarity of a message to its nearest intent example, in the space of the
    /// bot's intent features. Null (not set) for the default of those features:
    /// <see cref="Intents.IntentGate.EmbeddingThreshold"/> (0.70, cosine of sentence embeddings) for packs written in
    /// Latin letters, <see cref="Intents.IntentGate.CharNGramThreshold"/> for other scripts.
    /// </summary>
    public double? Intent { get; init; }

    /// <summary>The minimum score of a knowledge passage to quote it or give it to the LLM. Default 0.45.</summary>
    public double Knowledge { get; init; } = 0.45;
}
