namespace Parley.Bots.Packs;

/// <summary>Confidence thresholds that decide how a message is answered.</summary>
public sealed class BotThresholds
{
    /// <summary>
    /// The minimum intent confidence for a template answer. Default 0.70 (cosine similarity to the nearest example).
    /// </summary>
    public double Intent { get; init; } = 0.70;

    /// <summary>The minimum score of a knowledge passage to quote it or give it to the LLM. Default 0.45.</summary>
    public double Knowledge { get; init; } = 0.45;
}
