namespace Parley.Bots.Evaluation;

/// <summary>The results of running a pack's eval files (<see cref="BotEvaluator"/>).</summary>
/// <param name="Bot">The bot's name.</param>
/// <param name="Folder">The eval folder.</param>
/// <param name="Checks">Every check, in file and line order.</param>
/// <param name="Intents">The intent checks' accuracy per expected intent.</param>
/// <param name="Thresholds">A suggested gate per intent.</param>
public sealed record BotEvaluation(
    string Bot,
    string Folder,
    IReadOnlyList<EvalCheckResult> Checks,
    IReadOnlyList<IntentAccuracy> Intents,
    IReadOnlyList<ThresholdSuggestion> Thresholds)
{
    /// <summary>How many checks passed.</summary>
    public int Passed => Checks.Count(c => c.Passed);

    /// <summary>How many checks failed.</summary>
    public int Failed => Checks.Count - Passed;

    /// <summary>Passed and total checks per kind, in <see cref="EvalCheckKinds"/> order.</summary>
    public IReadOnlyList<EvalKindSummary> ByKind =>
        [.. Checks.GroupBy(c => c.Kind).Select(g => new EvalKindSummary(g.Key, g.Count(c => c.Passed), g.Count()))];
}
