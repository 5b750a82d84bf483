using System.Text.Json.Nodes;

namespace Parley.Server.Runs;

/// <summary>A run in <c>GET /api/runs/{id}</c>: its summary, parameters, all metrics and per-epoch history.</summary>
/// <param name="Summary">What the list shows.</param>
/// <param name="Parameters">The parameters (a job's hyperparameters, base model and files).</param>
/// <param name="Metrics">Every recorded metric, numbers and text.</param>
/// <param name="History">The epochs, in order.</param>
/// <param name="BestEpoch">The epoch whose weights were kept, when known.</param>
/// <param name="Live">True while a job is still running: its history grows.</param>
/// <param name="Evaluation">
/// The run's evaluation report (<c>nlu eval --model</c> of its model), when there is one: <c>data</c>, <c>evaluated</c>
/// (Unix seconds) and <c>metrics</c>; its charts are at <c>/api/runs/{id}/evaluation/{chart}.svg</c>.
/// </param>
public sealed record RunDetail(RunSummary Summary, JsonObject Parameters, JsonObject Metrics, IReadOnlyList<RunEpoch> History, int? BestEpoch, bool Live, JsonObject? Evaluation = null);
