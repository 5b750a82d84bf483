using Parley.Nlu.Features;

namespace Parley.Bots.Intents;

/// <summary>
/// The defaults of a bot's out-of-scope gate (the similarity of a message to its nearest intent example), which depend
/// on the space the similarity is measured in.
/// </summary>
public static class IntentGate
{
    /// <summary>
    /// The gate on cosine similarity of all-MiniLM-L6-v2 sentence embeddings: 0.70. On the shop pack it kept 30/30
    /// held-out in-scope messages and rejected 18/18 out-of-scope ones.
    /// </summary>
    public const double EmbeddingThreshold = 0.70;

    /// <summary>
    /// The gate on cosine similarity of character n-grams weighted by inverse document frequency over the pack's
    /// examples: 0.25. Chosen on a Chinese shop set written for it (10 intents × 10 examples; 30 held-out in-scope
    /// messages and 15 out-of-scope questions) and checked on a second set written afterwards (docs/BENCHMARKS.md).
    /// </summary>
    public const double CharNGramThreshold = 0.25;

    /// <summary>
    /// The similarity of character n-grams from which the closest example vouches for a Chinese message whatever other
    /// words it has; below it, a word the bot's examples and knowledge never use makes the message out of scope
    /// (<see cref="BotIntentClassifier.OwnWords"/>): 0.30. Chosen on the shop-zh pack's eval and on 20 in-scope and 21
    /// everyday out-of-scope messages written for it (tests/data/shop-zh-everyday: 0.30–1.00 all rejected 17/21, up
    /// from 13/21; above 0.30 the pack lost 2–5 of its 70 intent checks), then read on the zh-shop check set
    /// (docs/BENCHMARKS.md).
    /// </summary>
    public const double CharNGramSure = 0.30;

    /// <summary>
    /// The typo-tolerant second gate of packs on sentence embeddings: a message the embedding gate rejects still passes
    /// when the IDF-weighted cosine of its character 2–4-grams with an example reaches this. Chosen on typo variants
    /// of the shop pack's intent checks (seed 1) and unrelated questions, not on the set the target is measured on
    /// (docs/BENCHMARKS.md).
    /// </summary>
    public const double SpellingThreshold = 0.45;

    /// <summary>
    /// The passage score (MiniLM cosine) from which the knowledge takes a message that passed the typo-tolerant gate
    /// alone with no misspelt word, when the passage is of another document than the intent's source
    /// (<see cref="BotIntentClassifier.Knowledge"/>): 0.60. "is the cast iron skillet dishwasher safe" finds product
    /// care at 0.62–0.65; on the sample packs' checks, the paraphrases the n-gram gate rightly admits find other
    /// documents at 0.29 at most (docs/BENCHMARKS.md).
    /// </summary>
    public const double KnowledgeOverride = 0.60;

    /// <summary>The gate threshold: <paramref name="configured"/> when the pack sets one, else the default of the features.</summary>
    /// <param name="configured">The pack's <c>thresholds.intent</c>, or null.</param>
    /// <param name="features">The bot's intent features.</param>
    public static double Threshold(double? configured, FeaturizerSettings features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return configured ?? (UsesInverseDocumentFrequency(features) ? CharNGramThreshold : EmbeddingThreshold);
    }

    /// <summary>Whether the gate weighs features by inverse document frequency (it does for character n-grams alone).</summary>
    /// <param name="features">The bot's intent features.</param>
    public static bool UsesInverseDocumentFrequency(FeaturizerSettings features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return string.Equals(features.Kind, FeaturizerSettings.CharNGrams, StringComparison.Ordinal);
    }
}
