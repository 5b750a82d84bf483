using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Core.Runs;
using Parley.Nlu.Evaluation;

namespace Parley.Nlu.Reports;

/// <summary>
/// The evaluation report of a training run: <c>nlu eval --model M</c> records its result on the run that trained M,
/// as the run's <c>metrics.evaluation</c> object — what was evaluated, when, the metrics, and how many items of each
/// true intent were predicted as each intent (what the confusion heat map is drawn from). A later evaluation replaces it.
/// </summary>
public static class RunEvaluation
{
    /// <summary>The key of the evaluation in a run's metrics.</summary>
    public const string MetricsKey = "evaluation";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The run with <paramref name="metrics"/> recorded as its evaluation.</summary>
    /// <param name="run">The training run of the evaluated model.</param>
    /// <param name="data">What was evaluated (the data set and split), for people.</param>
    /// <param name="evaluated">When.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="items">The evaluated items; only their (true, predicted) counts are kept, not their text.</param>
    public static RunRecord Attach(RunRecord run, string data, DateTimeOffset evaluated, IntentMetrics metrics, IReadOnlyList<EvaluationItem> items)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(items);
        var pairs = new JsonArray([.. items.GroupBy(i => (i.Gold, i.Predicted))
            .OrderBy(g => g.Key.Gold, StringComparer.Ordinal).ThenBy(g => g.Key.Predicted, StringComparer.Ordinal)
            .Select(g => (JsonNode)new JsonObject { ["true"] = g.Key.Gold, ["predicted"] = g.Key.Predicted, ["count"] = g.Count() })]);
        var record = run.Metrics.DeepClone().AsObject();
        record[MetricsKey] = new JsonObject
        {
            ["data"] = data,
            ["evaluated"] = evaluated.ToUnixTimeSeconds(),
            ["metrics"] = JsonSerializer.SerializeToNode(metrics, Json),
            ["pairs"] = pairs,
        };
        return run with { Metrics = record };
    }

    /// <summary>
    /// Reads a run's evaluation: its metrics, and items rebuilt from the stored counts (without text or confidence)
    /// for the confusion heat map. Null when the run has none or it cannot be read.
    /// </summary>
    public static (IntentMetrics Metrics, IReadOnlyList<EvaluationItem> Items)? Read(JsonObject runMetrics)
    {
        ArgumentNullException.ThrowIfNull(runMetrics);
        if (runMetrics[MetricsKey] is not JsonObject evaluation || evaluation["metrics"] is not JsonObject stored)
        {
            return null;
        }

        try
        {
            var metrics = stored.Deserialize<IntentMetrics>(Json);
            if (metrics is null)
            {
                return null;
            }

            var items = new List<EvaluationItem>();
            foreach (var pair in (evaluation["pairs"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var gold = pair["true"]?.GetValue<string>();
                var predicted = pair["predicted"]?.GetValue<string>();
                var count = pair["count"]?.GetValue<int>() ?? 0;
                if (gold is not null && predicted is not null)
                {
                    items.AddRange(Enumerable.Repeat(new EvaluationItem("", gold, predicted, predicted, 0), Math.Clamp(count, 0, 1_000_000)));
                }
            }

            return (metrics, items);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
