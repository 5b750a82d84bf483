namespace Parley.Server.Runs;

/// <summary>A training run or fine-tuning job in <c>GET /api/runs</c>.</summary>
/// <param name="Id">The run id (<c>run-…</c>) or job id (<c>ftjob-…</c>).</param>
/// <param name="Kind"><c>intent-model</c> (and other trainer kinds) for runs, <c>fine-tuning</c> for jobs.</param>
/// <param name="Status"><c>succeeded</c> for a recorded run; a job's status otherwise.</param>
/// <param name="Created">When it started, in Unix seconds.</param>
/// <param name="Data">The training data: a run's data file (or its hash), a job's training file id.</param>
/// <param name="Model">The trained model: a run's model folder, a job's fine-tuned model id (null until it succeeds).</param>
/// <param name="Metrics">The headline metrics (final validation accuracy, best epoch, …).</param>
public sealed record RunSummary(string Id, string Kind, string Status, long Created, string? Data, string? Model, IReadOnlyDictionary<string, double?> Metrics);
