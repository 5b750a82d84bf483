using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Bots.Explanations;
using Parley.Bots.Packs;
using Parley.Bots.Replies;

namespace Parley.Cli.Rendering;

/// <summary>Shows a <see cref="TurnExplanation"/>: lines for people (<c>ask --explain</c>) or JSON (<c>ask --json --explain</c>).</summary>
internal static class ExplanationWriter
{
    /// <summary>The explanation as the JSON object of <c>ask --json</c>'s <c>explanation</c> field.</summary>
    public static JsonNode? Json(TurnExplanation explanation) => JsonSerializer.SerializeToNode(explanation, ReplyJson.Options);

    /// <summary>The explanation as lines for people.</summary>
    public static IEnumerable<string> Lines(TurnExplanation e)
    {
        static string N(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        yield return "Why this answer:";
        yield return $"  route: {e.Route}";
        if (e.ReadAs is not null)
        {
            yield return e.ReadOneSentence
                ? $"  read as: \"{e.ReadAs}\" (the one sentence of the message that matched an intent)"
                : BotLanguages.Detect(e.ReadAs) == BotLanguages.Chinese
                    ? $"  read as: \"{e.ReadAs}\" (characters of the same sound corrected to the examples' characters)"
                    : $"  read as: \"{e.ReadAs}\" (misspelt words corrected to the examples' words)";
        }

        yield return e.Intent is null
            ? "  intent: none (out of scope for the intents)"
            : $"  intent: {e.Intent} (confidence {N(e.Confidence ?? 0)})";
        if (e.Intents.Count > 0)
        {
            yield return "  closest intents: " + string.Join("; ", e.Intents.Select(i =>
                $"{i.Intent} {N(i.Similarity)} {(i.Passed ? "≥" : "<")} {N(i.Threshold)}"));
        }

        if (e.TypoGate is { } typo)
        {
            yield return $"  typo-tolerant gate (character n-grams): {typo.Intent} {N(typo.Similarity)} {(typo.Passed ? "≥" : "<")} {N(typo.Threshold)}"
                + (e.TypoGateOverruledBy is { } named ? $", but {named} was named: it lets a message in for {typo.Intent} only" : "");
        }

        if (e.UnknownWords is { } unknown)
        {
            yield return $"  words the bot's examples and knowledge never use: {string.Join("、", unknown)} — out of scope, as the closest "
                + $"example is below {N(e.UnknownWordsBelow ?? 0)}";
        }

        if (e.ModelRejected is { } rejected)
        {
            yield return $"  trained model: out of scope — {rejected.Intent} {N(rejected.Probability)}" + (rejected.Threshold is { } t
                ? rejected.Probability < t ? $" < {N(t)} (its calibrated threshold)" : $" ≥ {N(t)}, ruled out by its out-of-scope class or similarity gate"
                : "");
        }

        if (e.KnowledgeTookOver is { } takeover)
        {
            yield return $"  knowledge took it from {takeover.Intent}: {takeover.PassageId} {N(takeover.Score)} ≥ {N(takeover.Threshold)} " +
                "(no misspelt word, and a document other than the intent's source answers it)";
        }

        if (e.Examples.Count > 0)
        {
            yield return $"  nearest examples of {e.Intent ?? e.Intents.FirstOrDefault()?.Intent}: " + string.Join("; ", e.Examples.Select(x => $"\"{x.Text}\" {N(x.Similarity)}"));
        }

        if (e.Passages.Count > 0)
        {
            yield return $"  passages (threshold {N(e.Passages[0].Threshold)}): " + string.Join("; ", e.Passages.Select(p =>
                $"{p.Id} {N(p.Score)}{(p.Cited ? " cited" : "")}"));
        }

        if (e.Rules.Count > 0)
        {
            yield return "  rules: " + string.Join("; ", e.Rules.Select(r => $"{r.Name} ({r.Stage})"));
        }

        if (e.ToolCalls.Count > 0)
        {
            yield return "  tools: " + string.Join("; ", e.ToolCalls.Select(c => $"{c.Name}({string.Join(", ", c.Arguments.Select(a => $"{a.Key}: {a.Value}"))})"));
        }
    }
}
