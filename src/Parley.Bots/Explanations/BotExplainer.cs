using Microsoft.Extensions.AI;
using Parley.Bots.Intents;
using Parley.Bots.Replies;
using Parley.Nlu.Intents;

namespace Parley.Bots.Explanations;

/// <summary>
/// Explains a bot's reply to a message ("why this answer"): the route, the closest intents with the gate each had to
/// pass, the nearest training examples of the chosen intent, the knowledge passages found and which the reply cites,
/// the rules that acted and the tool calls. The classifier and the knowledge search are deterministic, so asking them
/// again after the turn gives what the pipeline saw.
/// </summary>
public static class BotExplainer
{
    private const int Top = 3;

    /// <summary>Explains <paramref name="reply"/>, the bot's answer to <paramref name="message"/>.</summary>
    /// <param name="bot">The bot that answered.</param>
    /// <param name="message">The user's message.</param>
    /// <param name="reply">The reply, with its properties.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<TurnExplanation> ExplainAsync(Bot bot, string message, ChatResponse reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bot);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reply);
        var info = BotReplyInfo.From(reply.AdditionalProperties);
        var classifier = bot.Classifier;
        var trace = new IntentGateTrace();
        var (prediction, readAs) = await classifier.ClassifyReadingAsync(message, trace, cancellationToken).ConfigureAwait(false);
        var best = prediction.Best;
        var chosen = best is null || best.Intent == OutOfScope.Label ? null : best;
        // When only the spelling-corrected message (or one sentence) matched, the gate and the examples are those of what was matched.
        var matched = readAs ?? message;
        var gate = await classifier.GateAsync(matched, cancellationToken).ConfigureAwait(false);
        var intents = gate.Take(Top)
            .Select(s => new IntentCandidate(s.Intent, s.Confidence, classifier.ThresholdFor(s.Intent), s.Confidence >= classifier.ThresholdFor(s.Intent)))
            .ToArray();

        var examples = Array.Empty<ExampleMatch>();
        if ((chosen?.Intent ?? gate.FirstOrDefault()?.Intent) is { } intent && bot.Pack.IntentsByName.TryGetValue(intent, out var definition))
        {
            // The gate also holds typo variants of the examples: show the pack's own.
            var own = definition.Examples.ToHashSet(StringComparer.OrdinalIgnoreCase);
            examples = [.. (await classifier.NearestExamplesAsync(matched, intent, Top * 4, cancellationToken).ConfigureAwait(false))
                .Where(e => e.Example is not null && own.Contains(e.Example))
                .Take(Top)
                .Select(e => new ExampleMatch(e.Example!, e.Confidence))];
        }

        var threshold = bot.Pack.Manifest.Thresholds.Knowledge;
        var cited = info.Sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var passages = bot.Knowledge.Count == 0
            ? []
            : (await bot.Knowledge.SearchAsync(message, Top, cancellationToken).ConfigureAwait(false))
                .Select(h => new PassageConsidered(
                    h.Passage.Id,
                    h.Passage.Label,
                    h.Passage.Source,
                    Math.Round(h.Score, 4),
                    threshold,
                    cited.Contains(h.Passage.Id)))
                .ToArray();
        return new TurnExplanation(
            info.Route,
            chosen?.Intent,
            chosen is null ? null : Math.Round(chosen.Confidence, 4),
            intents,
            examples,
            passages,
            info.Rules ?? [],
            info.ToolCalls ?? [])
        {
            ReadAs = readAs,
            ReadOneSentence = trace.ReadOneSentence,
            TypoGate = !trace.ReadOneSentence && trace.TypoGate is { } typo
                ? new IntentCandidate(typo.Intent, Math.Round(typo.Confidence, 4), trace.TypoGateThreshold, typo.Confidence >= trace.TypoGateThreshold)
                : null,
            TypoGateOverruledBy = trace.ReadOneSentence ? null : trace.TypoGateOverruledBy,
            UnknownWords = readAs is null ? trace.UnknownWords : null,
            UnknownWordsBelow = readAs is null && trace.UnknownWords is not null ? IntentGate.CharNGramSure : null,
            KnowledgeTookOver = trace.KnowledgeTookOver is { } hit
                ? new KnowledgeTakeover(trace.TakenFrom!, hit.Passage.Id, Math.Round(hit.Score, 4), IntentGate.KnowledgeOverride)
                : null,
            ModelRejected = readAs is null && trace.ModelRejected is { } rejected
                ? new ModelRejection(rejected.Intent, Math.Round(rejected.Confidence, 4), trace.ModelThreshold is { } t ? Math.Round(t, 4) : null)
                : null,
        };
    }
}
