using Microsoft.Extensions.AI;
using Parley.Bots.Knowledge;
using Parley.Bots.Packs;
using Parley.Core.Text;
using Parley.Nlu.Data;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Models;
using Parley.Nlu.Training;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Intents;

/// <summary>
/// The intent classifier of a bot. The nearest-example matcher is the out-of-scope gate: a message whose closest
/// example is less similar than <c>thresholds.intent</c> is out of scope. Past the gate, the trained model (when the
/// pack has one) names the intent and its probability, and may still reject the message at its calibrated
/// threshold; without a trained model, the nearest example's intent and similarity are used. Packs on sentence
/// embeddings have two typo defences besides: a character n-gram gate, and a second try with misspelt words corrected
/// to the examples' words (<see cref="Vocabulary"/>).
/// </summary>
/// <remarks>
/// The gate measures similarity in the space of the bot's intent features (<see cref="PackIntentModels.Features"/>):
/// sentence embeddings for packs written in Latin letters, character n-grams weighted by inverse document frequency
/// for other scripts, where the English encoder's similarities mean little.
/// Measured on the shop pack's eval set (30 held-out in-scope utterances, 18 out-of-scope questions): the trained
/// model alone, calibrated without out-of-scope examples, rejected 13 of 18 out-of-scope questions; the similarity
/// gate at 0.70 rejected all 18, with 30/30 in scope for both. Hence the gate.
/// </remarks>
public sealed class BotIntentClassifier : IIntentClassifier
{
    /// <summary>How many intents a prediction ranks.</summary>
    private const int Ranked = 3;

    private readonly IIntentClassifier _nearest;
    private readonly IIntentClassifier? _trained;
    private readonly double _threshold;
    private readonly IIntentClassifier? _spelling;
    private readonly double _spellingThreshold;

    /// <summary>Creates the classifier.</summary>
    /// <param name="nearest">The nearest-example matcher (confidence = cosine similarity).</param>
    /// <param name="trained">The trained model, or null.</param>
    /// <param name="threshold">The minimum similarity of the closest example (the bot's <c>thresholds.intent</c>).</param>
    public BotIntentClassifier(IIntentClassifier nearest, IIntentClassifier? trained, double threshold)
    {
        _nearest = nearest ?? throw new ArgumentNullException(nameof(nearest));
        _trained = trained;
        _threshold = threshold;
    }

    /// <summary>Creates the classifier with a second, typo-tolerant gate.</summary>
    /// <param name="nearest">The nearest-example matcher (confidence = cosine similarity).</param>
    /// <param name="trained">The trained model, or null.</param>
    /// <param name="threshold">The minimum similarity of the closest example (the bot's <c>thresholds.intent</c>).</param>
    /// <param name="spelling">
    /// A nearest-example matcher on character n-grams: a message that <paramref name="nearest"/> rejects still passes
    /// when its closest example here is at least <paramref name="spellingThreshold"/> similar (a misspelt word changes
    /// a few n-grams, but the sentence embedding a lot).
    /// </param>
    /// <param name="spellingThreshold">The minimum n-gram similarity of the closest example.</param>
    public BotIntentClassifier(IIntentClassifier nearest, IIntentClassifier? trained, double threshold, IIntentClassifier spelling, double spellingThreshold)
        : this(nearest, trained, threshold)
    {
        _spelling = spelling ?? throw new ArgumentNullException(nameof(spelling));
        _spellingThreshold = spellingThreshold;
    }

    /// <summary>Whether a trained model names the intents (otherwise the nearest example does).</summary>
    public bool IsTrained => _trained is not null;

    /// <summary>The gate's threshold: the minimum similarity of the closest example.</summary>
    public double Threshold => _threshold;

    /// <summary>
    /// The words of the intent examples, to correct a message's misspelt words when both gates reject it as written:
    /// the corrected message then goes through the gate and the model instead (null: no correction).
    /// </summary>
    public SpellingVocabulary? Vocabulary { get; init; }

    /// <summary>
    /// The character pairs of the intent examples, to correct a Chinese message's homophone typos (运废 for 运费) when
    /// the gate rejects it as written: the corrected message then goes through the gate and the model instead (null:
    /// no correction). Packs whose examples are Chinese have it.
    /// </summary>
    public ChineseHomophones? Homophones { get; init; }

    /// <summary>
    /// The words the bot knows (its examples' and its knowledge's), to tell a misspelt message from one the character
    /// n-gram gate let through for its shared words alone (see <see cref="Knowledge"/>), and to leave a word the
    /// knowledge uses as written when <see cref="Vocabulary"/> corrects a message. Null: every message is taken as
    /// possibly misspelt.
    /// </summary>
    public Lazy<SpellingVocabulary>? KnownWords { get; init; }

    /// <summary>
    /// The bot's knowledge, which has the last word on a message that passed the character n-gram gate alone with no
    /// misspelt word (<see cref="SpellingVocabulary.HasMisspelling"/> against <see cref="KnownWords"/>): when a passage of
    /// a document other than the intent's <c>source</c> scores at least <see cref="IntentGate.KnowledgeOverride"/>, the
    /// message is out of scope and the knowledge answers it. "is the cast iron skillet dishwasher safe" shares
    /// "dishwasher" with warranty's "does the warranty cover dishwasher damage", and product care answers it; "thank you,
    /// that really helps" shares words with a thanks example and no passage comes close. Null: no such check.
    /// </summary>
    public IKnowledgeSearch? Knowledge { get; init; }

    /// <summary>
    /// For packs in Chinese, the bot's own text (its examples and its knowledge): a message that passed the gate with its
    /// closest example less than <see cref="IntentGate.CharNGramSure"/> similar, and that has a word the text never uses
    /// (<see cref="ChineseVocabulary.UnknownWords"/>), is out of scope — 今天天气怎么样 passed as shipping_times on 今天
    /// alone. Null: no such check.
    /// </summary>
    public Lazy<ChineseVocabulary>? OwnWords { get; init; }

    /// <summary>The intents' <c>source</c> documents (for <see cref="Knowledge"/>).</summary>
    private IReadOnlyDictionary<string, string?> Sources { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>The features the gate and the trained model use (null when built from parts).</summary>
    public FeaturizerSettings? Features { get; private init; }

    /// <summary>
    /// Intents with their own gate (the intents' <c>threshold</c>): a message is such an intent only when its closest
    /// example of that intent is at least this similar, whatever <see cref="Threshold"/> is. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, double> IntentThresholds { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>The gate <paramref name="intent"/> has to pass: its own threshold, else <see cref="Threshold"/>.</summary>
    public double ThresholdFor(string intent) => IntentThresholds.TryGetValue(intent, out var own) ? own : _threshold;

    /// <summary>The gate's similarities: the closest example of each intent (with its text), best first.</summary>
    /// <param name="text">The message.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<IReadOnlyList<IntentScore>> GateAsync(string text, CancellationToken cancellationToken = default) =>
        (await _nearest.ClassifyAsync(text, cancellationToken).ConfigureAwait(false)).Top;

    /// <summary>The examples of <paramref name="intent"/> closest to <paramref name="text"/> in the gate's space, best first (typo variants the gate adds included).</summary>
    /// <param name="text">The message.</param>
    /// <param name="intent">The intent.</param>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<IReadOnlyList<IntentScore>> NearestExamplesAsync(string text, string intent, int count, CancellationToken cancellationToken = default) =>
        _nearest is NearestExampleIntentClassifier nearest
            ? await nearest.NearestExamplesAsync(text, count, intent, cancellationToken).ConfigureAwait(false)
            : [];

    /// <summary>
    /// Builds the classifier of a bot pack: features chosen by the script of its examples, the nearest-example gate on
    /// them at the pack's <c>thresholds.intent</c> (or the features' default, <see cref="IntentGate.Threshold"/>), and
    /// the trained model when <paramref name="modelsFolder"/> is given and the pack is big enough.
    /// </summary>
    /// <param name="pack">The bot pack.</param>
    /// <param name="embeddings">Sentence embeddings (used when the pack's features are embeddings).</param>
    /// <param name="modelsFolder">Where trained models are kept, or null for the nearest example alone.</param>
    /// <param name="progress">Training progress, reported only when the model is trained.</param>
    /// <param name="gateTypoVariants">
    /// Typo variants per example for the gate to compare with when the features are sentence embeddings; null for
    /// <see cref="PackIntentModels.GateTypoVariants"/>.
    /// </param>
    /// <param name="spellingThreshold">
    /// For packs on sentence embeddings, the typo-tolerant second gate's threshold (IDF-weighted character 2–4-gram
    /// cosine); null for <see cref="IntentGate.SpellingThreshold"/>, 0 or less for no second gate. Such packs also get
    /// <see cref="Vocabulary"/> (spelling correction against the examples' words) unless it is 0 or less.
    /// </param>
    /// <param name="encoderFineTuner">Fine-tunes the encoder for packs whose <c>method</c> asks for it (<see cref="PackIntentModels.LoadOrTrainAsync"/>); null for none.</param>
    /// <param name="knowledge">The pack's knowledge (<see cref="Knowledge"/>; its passages' words join the examples' in <see cref="KnownWords"/>), or null.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<BotIntentClassifier> CreateAsync(
        BotPack pack,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        string? modelsFolder = null,
        IntentTrainingProgress? progress = null,
        int? gateTypoVariants = null,
        double? spellingThreshold = null,
        IEncoderFineTuner? encoderFineTuner = null,
        IKnowledgeSearch? knowledge = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(embeddings);
        var features = PackIntentModels.Features(pack).Settings;
        var examples = pack.Intents.SelectMany(i => i.Examples.Select(e => new LabeledExample(e, i.Name))).ToArray();
        var embedded = string.Equals(features.Kind, FeaturizerSettings.Embeddings, StringComparison.Ordinal);
        LabeledExample[] gateExamples = embedded
            ? [.. examples, .. TypoNoise.Variants(examples, gateTypoVariants ?? PackIntentModels.GateTypoVariants, PackIntentModels.TypoSeed)]
            : examples;
        var nearest = embedded
            ? await NearestExampleIntentClassifier.CreateAsync(embeddings, gateExamples, top: Math.Max(Ranked, pack.Intents.Count), cancellationToken: cancellationToken).ConfigureAwait(false)
            : await NearestExampleIntentClassifier.CreateAsync(
                FeaturizerFactory.Create(features, embeddings), examples, top: Math.Max(Ranked, pack.Intents.Count),
                inverseDocumentFrequency: IntentGate.UsesInverseDocumentFrequency(features), cancellationToken: cancellationToken).ConfigureAwait(false);
        var trained = modelsFolder is null
            ? null
            : await PackIntentModels.LoadOrTrainAsync(pack, embeddings, modelsFolder, progress, encoderFineTuner, cancellationToken).ConfigureAwait(false);
        var threshold = IntentGate.Threshold(pack.Manifest.Thresholds.Intent, features);
        var own = pack.Intents.Where(i => i.Threshold is not null).ToDictionary(i => i.Name, i => i.Threshold!.Value, StringComparer.Ordinal);
        if (!embedded || spellingThreshold is <= 0)
        {
            // Pinyin homophones and SmartCn's words are Chinese: a Japanese pack's kanji, an Arabic or Cyrillic pack get neither.
            var chinese = !embedded && BotLanguages.Detect(string.Join('\n', examples.Select(e => e.Text))) == BotLanguages.Chinese;
            return new BotIntentClassifier(nearest, trained, threshold)
            {
                Features = features,
                IntentThresholds = own,
                Homophones = chinese ? ChineseHomophones.Create(examples.Select(e => e.Text)) : null,
                OwnWords = chinese
                    ? new Lazy<ChineseVocabulary>(() => ChineseVocabulary.Create(examples.Select(e => e.Text).Concat(PassageTexts(knowledge))))
                    : null,
            };
        }

        var spelling = await NearestExampleIntentClassifier.CreateAsync(
            FeaturizerFactory.Create(new FeaturizerSettings { Kind = FeaturizerSettings.CharNGrams }, null), examples,
            inverseDocumentFrequency: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new BotIntentClassifier(nearest, trained, threshold, spelling, spellingThreshold ?? IntentGate.SpellingThreshold)
        {
            Features = features,
            IntentThresholds = own,
            Vocabulary = SpellingVocabulary.Create(examples.Select(e => e.Text)),
            KnownWords = new Lazy<SpellingVocabulary>(() => SpellingVocabulary.Create(examples.Select(e => e.Text).Concat(PassageTexts(knowledge)))),
            Knowledge = knowledge,
            Sources = pack.Intents.ToDictionary(i => i.Name, i => i.Source, StringComparer.Ordinal),
        };
    }

    /// <summary>The titles, headings and texts of the knowledge's passages.</summary>
    private static IEnumerable<string> PassageTexts(IKnowledgeSearch? knowledge) => (knowledge switch
    {
        DenseKnowledgeIndex dense => dense.Passages,
        HybridKnowledgeSearch hybrid => hybrid.Dense.Passages,
        LexicalKnowledgeSearch lexical => lexical.Index.Passages,
        _ => [],
    }).SelectMany(p => (string[])[p.Title, p.Heading, p.Text]);

    /// <inheritdoc />
    public async Task<IntentPrediction> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
        (await ClassifyReadingAsync(text, cancellationToken).ConfigureAwait(false)).Prediction;

    /// <summary>
    /// As <see cref="ClassifyAsync(string, CancellationToken)"/>, and the text the prediction was made on when it was
    /// not <paramref name="text"/> as written: its misspelt words corrected (<see cref="Vocabulary"/>), else null.
    /// </summary>
    public Task<(IntentPrediction Prediction, string? ReadAs)> ClassifyReadingAsync(string text, CancellationToken cancellationToken = default) =>
        ClassifyReadingAsync(text, trace: null, cancellationToken);

    /// <summary>As <see cref="ClassifyReadingAsync(string, CancellationToken)"/>, noting in <paramref name="trace"/> what the gates saw.</summary>
    /// <param name="text">The message.</param>
    /// <param name="trace">Filled with the typo gate's verdict and any passage that took the message; null for none.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <remarks>
    /// A message of several sentences that is out of scope as a whole is read one sentence at a time
    /// (<see cref="QueryPlan"/>): a greeting, a story and a question dilute the one embedding of the whole, while the
    /// question alone matches its intent. When a sentence asks something, only the sentences that ask count — "Thanks
    /// for earlier. Do you know a good book about Rome?" is out of scope, not thanks; of those that match an intent, the
    /// most confident one wins, and <c>ReadAs</c> is that sentence (<see cref="IntentGateTrace.ReadOneSentence"/>).
    /// </remarks>
    public async Task<(IntentPrediction Prediction, string? ReadAs)> ClassifyReadingAsync(string text, IntentGateTrace? trace, CancellationToken cancellationToken = default)
    {
        var whole = await ClassifyCorrectingAsync(text, trace, cancellationToken).ConfigureAwait(false);
        if (whole.Prediction.Best?.Intent != OutOfScope.Label)
        {
            return whole;
        }

        var sentences = QueryPlan.Create(text).Skip(1).ToList();
        var asking = sentences.Where(s => s.Question).ToList();
        (IntentPrediction Prediction, string ReadAs)? chosen = null;
        foreach (var (sentence, _) in asking.Count > 0 ? asking : sentences)
        {
            var (prediction, readAs) = await ClassifyCorrectingAsync(sentence, trace: null, cancellationToken).ConfigureAwait(false);
            if (prediction.Best is { } best && best.Intent != OutOfScope.Label && !(chosen?.Prediction.Best!.Confidence >= best.Confidence))
            {
                chosen = (prediction, readAs ?? sentence);
            }
        }

        if (chosen is not { } one)
        {
            return whole;
        }

        if (trace is not null)
        {
            trace.ReadOneSentence = true;
        }

        return one;
    }

    /// <summary>The message as written, and when both gates reject it, with its misspelt words corrected.</summary>
    private async Task<(IntentPrediction Prediction, string? ReadAs)> ClassifyCorrectingAsync(string text, IntentGateTrace? trace, CancellationToken cancellationToken)
    {
        var prediction = await ClassifyAsync(text, spellingGate: true, trace, cancellationToken).ConfigureAwait(false);
        if (prediction.Best?.Intent != OutOfScope.Label || (Vocabulary?.Correct(text, KnownWords?.Value) ?? Homophones?.Correct(text)) is not { } corrected)
        {
            return (prediction, null);
        }

        // Both gates rejected the message as written; with its misspelt words corrected to words of the examples it may
        // pass the embedding gate. Not the n-gram gate: the corrected text has no typos left to tolerate, and that gate
        // let a corrected unrelated question through ("whats the wether in paris tomorrow").
        var fixedPrediction = await ClassifyAsync(corrected, spellingGate: false, trace: null, cancellationToken).ConfigureAwait(false);
        return fixedPrediction.Best?.Intent == OutOfScope.Label ? (prediction, null) : (fixedPrediction, corrected);
    }

    private async Task<IntentPrediction> ClassifyAsync(string text, bool spellingGate, IntentGateTrace? trace, CancellationToken cancellationToken)
    {
        var nearest = await _nearest.ClassifyAsync(text, cancellationToken).ConfigureAwait(false);
        if (nearest.Best is not { } closest)
        {
            return nearest;
        }

        IntentScore? spelling = null;
        if (closest.Confidence < _threshold && _spelling is not null && spellingGate)
        {
            spelling = (await _spelling.ClassifyAsync(text, cancellationToken).ConfigureAwait(false)).Best;
            if (trace is not null)
            {
                trace.TypoGate = spelling;
                trace.TypoGateThreshold = _spellingThreshold;
            }
        }

        var passes = closest.Confidence >= _threshold || spelling?.Confidence >= _spellingThreshold;
        var ownPasses = IntentThresholds.Count > 0 && nearest.Top.Any(s => IntentThresholds.TryGetValue(s.Intent, out var t) && s.Confidence >= t);
        if (!passes && !ownPasses)
        {
            return OutOfScopeFor(closest.Confidence, nearest);
        }

        if (OwnWords is not null && closest.Confidence < IntentGate.CharNGramSure && OwnWords.Value.UnknownWords(text) is { Count: > 0 } unknown)
        {
            if (trace is not null)
            {
                trace.UnknownWords = unknown;
            }

            return OutOfScopeFor(closest.Confidence, nearest);
        }

        var prediction = _trained is null ? nearest : await _trained.ClassifyAsync(text, cancellationToken).ConfigureAwait(false);
        if (trace is not null && _trained is not null && prediction.Best?.Intent == OutOfScope.Label && prediction.Top.Skip(1).FirstOrDefault() is { } closestTrained)
        {
            trace.ModelRejected = closestTrained;
            trace.ModelThreshold = (_trained as IntentModel)?.Calibration.ThresholdFor(closestTrained.Intent);
        }

        if (prediction.Best is { } best && best.Intent != OutOfScope.Label)
        {
            if (IntentThresholds.TryGetValue(best.Intent, out var own))
            {
                // The intent's own gate: its closest example, or the spelling gate naming this very intent.
                var similarity = nearest.Top.FirstOrDefault(s => s.Intent == best.Intent)?.Confidence ?? -1;
                if (similarity < own && !(spelling?.Intent == best.Intent && spelling.Confidence >= _spellingThreshold))
                {
                    return OutOfScopeFor(similarity, nearest);
                }
            }
            else if (!passes)
            {
                return OutOfScopeFor(closest.Confidence, nearest);
            }

            if (closest.Confidence < _threshold && spelling?.Confidence >= _spellingThreshold
                && await KnowledgeAnswersInsteadAsync(text, best.Intent, cancellationToken).ConfigureAwait(false) is { } passage)
            {
                if (trace is not null)
                {
                    trace.KnowledgeTookOver = passage;
                    trace.TakenFrom = best.Intent;
                }

                return OutOfScopeFor(closest.Confidence, nearest);
            }
        }

        if (!ownPasses && closest.Confidence < _threshold && spelling is not null
            && prediction.Best is { } named && named.Intent != OutOfScope.Label && spelling.Intent != named.Intent)
        {
            // The typo gate vouches for its own intent only, whoever names the intent (the model, or without one the
            // nearest example): "Thanks for all your help earlier today. Do you know a good book about the Roman
            // empire?" passed it as thanks (0.45) and was then named greeting by an example 0.28 similar; "Good
            // evening. What time does the sun set today?" passed it as greeting and the model named opening_hours.
            if (trace is not null)
            {
                trace.TypoGateOverruledBy = named.Intent;
            }

            return OutOfScopeFor(closest.Confidence, nearest);
        }

        return new IntentPrediction([.. prediction.Top.Take(Ranked)]);
    }

    /// <summary>
    /// The passage that makes a message the n-gram gate alone let through, with no misspelt word, the knowledge's
    /// rather than <paramref name="intent"/>'s; null when there is none.
    /// </summary>
    private async Task<KnowledgeHit?> KnowledgeAnswersInsteadAsync(string text, string intent, CancellationToken cancellationToken)
    {
        if (Knowledge is null || KnownWords?.Value.HasMisspelling(text) != false)
        {
            return null;
        }

        var hit = (await Knowledge.SearchAsync(text, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        return hit is not null && hit.Score >= IntentGate.KnowledgeOverride
            && !string.Equals(hit.Passage.Source, Sources.GetValueOrDefault(intent), StringComparison.Ordinal)
            ? hit
            : null;
    }

    private static IntentPrediction OutOfScopeFor(double similarity, IntentPrediction nearest) =>
        new([new IntentScore(OutOfScope.Label, 1 - similarity), .. nearest.Top.Take(Ranked)]);
}
