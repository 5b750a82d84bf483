using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Core.Runs;
using Parley.Nlu.Reports;
using Parley.OpenAI.FineTuning;
using Parley.Server.FineTuning;
using Parley.Server.Security;

namespace Parley.Server.Runs;

/// <summary>Training runs (from the run store) and fine-tuning jobs (from the fine-tuning store, those the caller may see) as one list.</summary>
internal sealed class RunCatalog(IRunStore runs, FineTuningStore jobs)
{
    /// <summary>The kind of a fine-tuning job in the list.</summary>
    public const string FineTuningKind = "fine-tuning";

    /// <summary>The status of a recorded (finished) training run.</summary>
    public const string Succeeded = "succeeded";

    public async Task<IReadOnlyList<RunSummary>> ListAsync(string? kind, string? data, string? status, ApiCaller caller, CancellationToken cancellationToken)
    {
        var all = new List<RunSummary>();
        if (kind is null || kind != FineTuningKind)
        {
            all.AddRange((await runs.ListAsync(kind, 500, cancellationToken).ConfigureAwait(false)).Select(r => Detail(r).Summary));
        }

        if (kind is null || kind == FineTuningKind)
        {
            foreach (var job in await jobs.ListJobsAsync(caller, cancellationToken).ConfigureAwait(false))
            {
                all.Add(JobDetail(job, await jobs.ListEventsAsync(job.Id, cancellationToken).ConfigureAwait(false)).Summary);
            }
        }

        return [.. all
            .Where(r => data is null || r.Data == data)
            .Where(r => status is null || r.Status == status)
            .OrderByDescending(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>The recorded run <paramref name="id"/> (not a fine-tuning job), or null.</summary>
    public Task<RunRecord?> GetRecordAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("ftjob-", StringComparison.Ordinal) ? Task.FromResult<RunRecord?>(null) : runs.GetAsync(id, cancellationToken);

    public async Task<RunDetail?> GetAsync(string id, ApiCaller caller, CancellationToken cancellationToken)
    {
        if (id.StartsWith("ftjob-", StringComparison.Ordinal))
        {
            var job = await jobs.GetJobAsync(id, caller, cancellationToken).ConfigureAwait(false);
            return job is null ? null : JobDetail(job, await jobs.ListEventsAsync(id, cancellationToken).ConfigureAwait(false));
        }

        var run = await runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return run is null ? null : Detail(run);
    }

    private static RunDetail Detail(RunRecord run)
    {
        var history = run.History.OfType<JsonObject>()
            .Where(e => e["with_oos_class"]?.GetValueKind() != JsonValueKind.True)
            .Select(e => new RunEpoch((int)(Number(e["epoch"]) ?? 0), Number(e["train_loss"]) ?? double.NaN, Number(e["validation_loss"]), Number(e["validation_accuracy"])))
            .Where(e => e.Epoch > 0 && double.IsFinite(e.TrainLoss))
            .ToArray();
        var best = Number(run.Metrics["best_epoch"]) is { } b and > 0 ? (int)b : (int?)null;
        var data = run.Parameters["data"]?.GetValueKind() == JsonValueKind.String ? Path.GetFileName(run.Parameters["data"]!.GetValue<string>()) : ShortHash(run.DataHash);
        var summary = new RunSummary(run.Id, run.Kind, Succeeded, run.Created.ToUnixTimeSeconds(), data, run.ModelPath is null ? null : Path.GetFileName(run.ModelPath), Headline(run.Metrics, history, best));
        var metrics = run.Metrics.DeepClone().AsObject();
        JsonObject? evaluation = null;
        if (metrics.Remove(RunEvaluation.MetricsKey, out var stored) && stored is JsonObject report)
        {
            // The counts behind the heat map stay out of the page's JSON: the charts endpoint draws them.
            evaluation = new JsonObject { ["data"] = report["data"]?.DeepClone(), ["evaluated"] = report["evaluated"]?.DeepClone(), ["metrics"] = report["metrics"]?.DeepClone() };
        }

        return new RunDetail(summary, run.Parameters, metrics, history, best, Live: false, evaluation);
    }

    private static RunDetail JobDetail(FineTuningJobObject job, IReadOnlyList<FineTuningEventObject> events)
    {
        var history = events.Where(e => e.Type == "metrics" && e.Data is not null)
            .Select(e => e.Data!)
            .Where(d => d["with_oos_class"]?.GetValueKind() != JsonValueKind.True)
            .Select(d => new RunEpoch((int)(Number(d["epoch"]) ?? 0), Number(d["train_loss"]) ?? double.NaN, Number(d["valid_loss"]), Number(d["valid_mean_token_accuracy"])))
            .Where(e => e.Epoch > 0 && double.IsFinite(e.TrainLoss))
            .GroupBy(e => e.Epoch).Select(g => g.Last()).OrderBy(e => e.Epoch)
            .ToArray();
        var best = history.Where(e => e.ValidationAccuracy is not null).OrderByDescending(e => e.ValidationAccuracy).ThenBy(e => e.Epoch).FirstOrDefault()?.Epoch;
        var parameters = new JsonObject
        {
            ["base_model"] = job.Model,
            ["training_file"] = job.TrainingFile,
            ["validation_file"] = job.ValidationFile,
            ["suffix"] = job.UserProvidedSuffix,
            ["seed"] = job.Seed,
        };
        foreach (var (key, value) in job.Hyperparameters)
        {
            parameters[key] = value?.DeepClone();
        }

        var metrics = new JsonObject { ["trained_tokens"] = job.TrainedTokens, ["error"] = job.Error?.Message };
        var summary = new RunSummary(job.Id, FineTuningKind, job.Status, job.CreatedAt, job.TrainingFile, job.FineTunedModel, Headline(metrics, history, best));
        return new RunDetail(summary, parameters, metrics, history, best, Live: !FineTuningJobStatuses.IsTerminal(job.Status));
    }

    private static Dictionary<string, double?> Headline(JsonObject metrics, IReadOnlyList<RunEpoch> history, int? best)
    {
        var last = history.Count == 0 ? null : history[^1];
        var atBest = best is null ? null : history.FirstOrDefault(e => e.Epoch == best);
        return new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            ["validation_accuracy"] = Number(metrics["validation_accuracy"]) ?? atBest?.ValidationAccuracy ?? last?.ValidationAccuracy,
            ["train_loss"] = last?.TrainLoss,
            ["epochs"] = history.Count,
            ["best_epoch"] = best,
        };
    }

    private static double? Number(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) is var v && double.IsFinite(v) ? v : null,
        JsonValueKind.String when double.TryParse(node.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) => v,
        _ => null,
    };

    private static string? ShortHash(string? hash) => hash is null ? null : "data " + hash[..Math.Min(10, hash.Length)];
}
