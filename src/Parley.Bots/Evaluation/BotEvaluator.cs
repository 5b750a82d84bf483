using System.Globalization;
using Microsoft.Extensions.AI;
using Parley.Bots.Guardrails;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Nlu.Intents;

namespace Parley.Bots.Evaluation;

/// <summary>
/// Runs a pack's eval files against a bot: intent checks (and out-of-scope messages), knowledge checks, rule checks
/// (messages an input rule must or must not fire on, and replies an output rule must or must not catch; adversarial
/// turns are rule checks too) and scripted conversations. See <c>docs/bot-packs.md</c> for the formats.
/// </summary>
public static class BotEvaluator
{
    private const int KnowledgeTop = 3;

    /// <summary>Runs every eval file in <paramref name="folder"/> (the pack's <c>eval</c> folder when null).</summary>
    /// <param name="bot">The bot, built offline for repeatable results.</param>
    /// <param name="folder">The eval folder; null for <c>eval</c> in the pack.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="BotPackException">An eval file is invalid; the message names the file, line and field.</exception>
    public static async Task<BotEvaluation> RunAsync(Bot bot, string? folder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bot);
        folder = Path.GetFullPath(folder ?? Path.Combine(bot.Pack.Root, "eval"));
        if (!Directory.Exists(folder))
        {
            throw new BotPackException(folder, 0, "eval folder not found");
        }

        var checks = new List<EvalCheckResult>();
        var similarities = new List<(string? Expected, IReadOnlyList<IntentScore> Gate)>();
        foreach (var name in new[] { "intent-checks.jsonl", "out-of-scope.jsonl" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                checks.AddRange(await IntentChecksAsync(bot, path, similarities, cancellationToken).ConfigureAwait(false));
            }
        }

        if (Path.Combine(folder, "knowledge-checks.jsonl") is var knowledge && File.Exists(knowledge))
        {
            checks.AddRange(await KnowledgeChecksAsync(bot, knowledge, cancellationToken).ConfigureAwait(false));
        }

        foreach (var name in new[] { "rule-checks.jsonl", "adversarial.jsonl" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                checks.AddRange(await RuleChecksAsync(bot, path, cancellationToken).ConfigureAwait(false));
            }
        }

        foreach (var path in Directory.EnumerateFiles(folder, "conversation*.jsonl").Order(StringComparer.Ordinal))
        {
            checks.AddRange(await ConversationAsync(bot, path, cancellationToken).ConfigureAwait(false));
        }

        var intents = checks.Where(c => c.Kind == EvalCheckKinds.Intent)
            .GroupBy(c => c.Expected)
            .Select(g => new IntentAccuracy(g.Key, g.Count(), g.Count(c => c.Passed)))
            .OrderBy(a => a.Intent == IntentAccuracy.OutOfScope)
            .ThenBy(a => a.Intent, StringComparer.Ordinal)
            .ToArray();
        return new BotEvaluation(bot.Name, folder, checks, intents, Suggest(bot, similarities));
    }

    private static async Task<List<EvalCheckResult>> IntentChecksAsync(
        Bot bot, string path, List<(string?, IReadOnlyList<IntentScore>)> similarities, CancellationToken cancellationToken)
    {
        var results = new List<EvalCheckResult>();
        foreach (var (line, item) in EvalFile.Read(path))
        {
            var text = EvalFile.Text(path, line, item, "text", required: true)!;
            var expected = EvalFile.Text(path, line, item, "intent");
            if (expected is not null && !bot.Pack.IntentsByName.ContainsKey(expected))
            {
                throw new BotPackException(path, line, $"field 'intent' names '{expected}', which is not an intent of the pack");
            }

            var best = (await bot.Classifier.ClassifyAsync(text, cancellationToken).ConfigureAwait(false)).Best;
            var actual = best is null || best.Intent == OutOfScope.Label ? null : best.Intent;
            var gate = await bot.Classifier.GateAsync(text, cancellationToken).ConfigureAwait(false);
            similarities.Add((expected, gate));
            results.Add(new EvalCheckResult(
                EvalCheckKinds.Intent, Path.GetFileName(path), line, text, expected ?? IntentAccuracy.OutOfScope,
                actual is null
                    ? IntentAccuracy.OutOfScope + (gate.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", closest example: {gate[0].Intent} {gate[0].Confidence:0.00}") : "")
                    : string.Create(CultureInfo.InvariantCulture, $"{actual} ({best!.Confidence:0.00})"),
                actual == expected));
        }

        return results;
    }

    private static async Task<List<EvalCheckResult>> KnowledgeChecksAsync(Bot bot, string path, CancellationToken cancellationToken)
    {
        var results = new List<EvalCheckResult>();
        foreach (var (line, item) in EvalFile.Read(path))
        {
            var query = EvalFile.Text(path, line, item, "query", required: true)!;
            var relevant = EvalFile.Texts(path, line, item, "relevant");
            var hits = await bot.Knowledge.SearchAsync(query, KnowledgeTop, cancellationToken).ConfigureAwait(false);
            var found = hits.Select(h => h.Passage.Source).ToArray();
            results.Add(new EvalCheckResult(
                EvalCheckKinds.Knowledge, Path.GetFileName(path), line, query,
                relevant.Count == 0 ? "nothing relevant" : $"one of {string.Join(", ", relevant)} in the top {KnowledgeTop}",
                string.Join(", ", hits.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Passage.Source} {h.Score:0.00}"))),
                relevant.Count == 0
                    ? hits.All(h => h.Score < bot.Pack.Manifest.Thresholds.Knowledge)
                    : found.Any(relevant.Contains)));
        }

        return results;
    }

    private static async Task<List<EvalCheckResult>> RuleChecksAsync(Bot bot, string path, CancellationToken cancellationToken)
    {
        var rules = bot.Pack.Manifest.Rules;
        var names = rules.Input.Select(r => r.Name).Concat(rules.Output.Select(r => r.Name)).ToHashSet(StringComparer.Ordinal);
        var results = new List<EvalCheckResult>();
        foreach (var (line, item) in EvalFile.Read(path))
        {
            if (!EvalFile.Has(item, "rule"))
            {
                throw new BotPackException(path, line, "missing field 'rule' (the rule that must fire, or null for none)");
            }

            var expected = EvalFile.Text(path, line, item, "rule");
            if (expected is not null && !names.Contains(expected))
            {
                throw new BotPackException(path, line, $"field 'rule' names '{expected}', which is not a rule of the pack");
            }

            string input;
            IReadOnlyList<string> fired;
            if (EvalFile.Text(path, line, item, "reply") is { } reply)
            {
                input = reply;
                var check = new ReplyCheck(rules.Output);
                check.Append(reply, final: true);
                fired = check.Violated is null ? [] : [check.Violated.Name];
            }
            else
            {
                input = EvalFile.Text(path, line, item, "text", required: true)!;
                var response = await bot.ChatClient.GetResponseAsync(
                    [new ChatMessage(ChatRole.System, bot.SystemPrompt), new ChatMessage(ChatRole.User, input)],
                    new ChatOptions().ForSession("eval-" + Guid.NewGuid().ToString("N")), cancellationToken).ConfigureAwait(false);
                fired = [.. (BotReplyInfo.From(response.AdditionalProperties).Rules ?? []).Where(h => h.Stage != RuleStages.Disclaimer).Select(h => h.Name)];
            }

            results.Add(new EvalCheckResult(
                EvalCheckKinds.Rule, Path.GetFileName(path), line, input, expected ?? "no rule",
                fired.Count == 0 ? "no rule" : string.Join(", ", fired),
                expected is null ? fired.Count == 0 : fired.Contains(expected)));
        }

        return results;
    }

    private static async Task<List<EvalCheckResult>> ConversationAsync(Bot bot, string path, CancellationToken cancellationToken)
    {
        var results = new List<EvalCheckResult>();
        var history = new List<ChatMessage>();
        var options = new ChatOptions().ForSession("eval-" + Guid.NewGuid().ToString("N"));
        foreach (var (line, item) in EvalFile.Read(path))
        {
            var user = EvalFile.Text(path, line, item, "user", required: true)!;
            var message = new ChatMessage(ChatRole.User, user);
            var response = await bot.ChatClient.GetResponseAsync(
                [new ChatMessage(ChatRole.System, bot.SystemPrompt), .. history, message], options, cancellationToken).ConfigureAwait(false);
            history.Add(message);
            foreach (var reply in response.Messages)
            {
                history.Add(reply);
            }

            if (history[^1].Role == ChatRole.Assistant && response.AdditionalProperties is { } properties)
            {
                // As a stored session keeps them: how the reply was made, for the next turn (forms, fallbacks in a row).
                history[^1].AdditionalProperties = new AdditionalPropertiesDictionary(properties);
            }

            var info = BotReplyInfo.From(response.AdditionalProperties);
            var expected = new List<string>();
            var wrong = new List<string>();
            void Expect(string field, string? want, Func<string, bool> ok, string got)
            {
                if (want is null)
                {
                    return;
                }

                expected.Add($"{field} {want}");
                if (!ok(want))
                {
                    wrong.Add($"{field} {got}");
                }
            }

            var rules = (info.Rules ?? []).Where(h => h.Stage != RuleStages.Disclaimer).Select(h => h.Name).ToArray();
            Expect("route", EvalFile.Text(path, line, item, "route"), w => w == info.Route, info.Route);
            Expect("intent", EvalFile.Text(path, line, item, "intent"), w => w == info.Intent?.Name, info.Intent?.Name ?? "none");
            Expect("rule", EvalFile.Text(path, line, item, "rule"), rules.Contains, rules.Length == 0 ? "none" : string.Join(", ", rules));
            Expect("source", EvalFile.Text(path, line, item, "source"), w => info.Sources.Any(s => s.Source == w), string.Join(", ", info.Sources.Select(s => s.Source)));
            Expect("handoff", EvalFile.Text(path, line, item, "handoff"), w => info.Handoff?.Reason == w, info.Handoff?.Reason ?? "none");
            Expect("contains", EvalFile.Text(path, line, item, "contains"), w => response.Text.Contains(w, StringComparison.OrdinalIgnoreCase), "a reply without it");
            results.Add(new EvalCheckResult(
                EvalCheckKinds.Conversation, Path.GetFileName(path), line, user,
                expected.Count == 0 ? "any reply" : string.Join("; ", expected),
                wrong.Count == 0 ? Shorten(response.Text) : string.Join("; ", wrong) + " — " + Shorten(response.Text),
                wrong.Count == 0));
        }

        return results;
    }

    /// <summary>
    /// Per intent: the threshold that best separates the similarity of its own checks from that of the out-of-scope
    /// checks (F0.5: letting an out-of-scope message in costs twice as much as turning a right one away); of equally
    /// good ones, the highest, just below the lowest similarity it keeps.
    /// </summary>
    private static ThresholdSuggestion[] Suggest(Bot bot, List<(string? Expected, IReadOnlyList<IntentScore> Gate)> checks)
    {
        var outOfScope = checks.Where(c => c.Expected is null).ToArray();
        return [.. bot.Pack.Intents.Select(intent =>
        {
            double Similarity(IReadOnlyList<IntentScore> gate) => gate.FirstOrDefault(s => s.Intent == intent.Name)?.Confidence ?? -1;
            var own = checks.Where(c => c.Expected == intent.Name).Select(c => Similarity(c.Gate)).ToArray();
            var others = outOfScope.Select(c => Similarity(c.Gate)).ToArray();
            var current = bot.Classifier.ThresholdFor(intent.Name);
            if (own.Length == 0)
            {
                return new ThresholdSuggestion(intent.Name, current, null, 0, 0, others.Length, others.Count(s => s >= current));
            }

            // Just below each observed similarity; of the best-scoring, the highest (the safest that keeps as many).
            var best = own.Concat(others).Distinct()
                .Select(v => Math.Floor((v - 0.005) * 100) / 100)
                .Select(t => (Threshold: t, Score: F(own.Count(s => s >= t), own.Length, others.Count(s => s >= t))))
                .OrderByDescending(c => c.Score)
                .ThenByDescending(c => c.Threshold)
                .First().Threshold;
            return new ThresholdSuggestion(intent.Name, current, best, own.Length, own.Count(s => s >= best), others.Length, others.Count(s => s >= best));
        })];
    }

    private static double F(int kept, int total, int letIn)
    {
        if (kept == 0)
        {
            return 0;
        }

        double precision = (double)kept / (kept + letIn), recall = (double)kept / total;
        return 1.25 * precision * recall / (0.25 * precision + recall);
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 120 ? line : line[..117] + "...";
    }
}
