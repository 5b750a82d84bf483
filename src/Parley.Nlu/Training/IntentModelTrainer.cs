using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Core.Runs;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Models;

namespace Parley.Nlu.Training;

/// <summary>
/// Trains an <see cref="IntentModel"/> from labelled utterances: features (through the featurizer, so the embedding
/// cache applies), then the head with early stopping and out-of-scope calibration. Used by <c>parley nlu train</c>,
/// by bots that train their intent model from their pack, and by fine-tuning jobs.
/// </summary>
public static class IntentModelTrainer
{
    /// <summary>The run kind recorded for intent models.</summary>
    public const string RunKind = "intent-model";

    /// <summary>Trains a model.</summary>
    /// <param name="featurizer">The featurizer; its settings are stored with the model.</param>
    /// <param name="training">The training utterances (label <c>oos</c> for out-of-scope examples).</param>
    /// <param name="validation">Validation utterances for early stopping and calibration, or null to hold out a stratified part of the training data.</param>
    /// <param name="options">Trainer settings; null for the defaults.</param>
    /// <param name="progress">Progress reporting, if wanted.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<IntentModel> TrainAsync(
        IFeaturizer featurizer,
        IReadOnlyList<LabeledExample> training,
        IReadOnlyList<LabeledExample>? validation = null,
        TrainerOptions? options = null,
        IntentTrainingProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(training);
        var texts = training.Select(e => e.Text).Concat(validation?.Select(e => e.Text) ?? []).ToArray();
        var featurizing = progress?.Featurizing is { } report ? new Core.SynchronousProgress<int>(done => report.Report((done, texts.Length))) : null;
        var features = await featurizer.FeaturizeAsync(texts, featurizing, cancellationToken).ConfigureAwait(false);

        var data = new TrainingData(
            features[..training.Count],
            training.Select(e => e.Intent).ToArray(),
            validation is null ? null : features[training.Count..],
            validation?.Select(e => e.Intent).ToArray());
        var result = await HeadTrainer.TrainAsync(data, options, progress?.Epochs, cancellationToken).ConfigureAwait(false);
        var model = new IntentModel(featurizer, result);
        if (result.Options.MaxInScopeRejection is not null && data.ValidationLabels?.Contains(OutOfScope.Label) == true)
        {
            // The budget bounds every in-scope rejection, and the head's threshold already uses all of it: no gate on top.
            return model;
        }

        return SimilarityGateCalibrator.Fit(model, [.. data.Features], [.. data.Labels], data.ValidationFeatures?.ToArray(), data.ValidationLabels?.ToArray()) is { } fitted
            ? model.WithGate(fitted.Gate, fitted.Centroids)
            : model;
    }

    /// <summary>Describes a trained model as a run record for <see cref="IRunStore"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="id">The run id.</param>
    /// <param name="created">When the run started.</param>
    /// <param name="dataHash">The hash of the source data (its file contents), or null to use the model's feature hash.</param>
    /// <param name="modelPath">Where the model was saved.</param>
    /// <param name="extra">Further parameters to record (data file, format, …).</param>
    public static RunRecord ToRunRecord(IntentModel model, string id, DateTimeOffset created, string? dataHash, string? modelPath, JsonObject? extra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var manifest = model.Manifest;
        var parameters = JsonSerializer.SerializeToNode(manifest.Trainer, RunJson.Options)!.AsObject();
        parameters["features"] = JsonSerializer.SerializeToNode(manifest.Featurizer, RunJson.Options);
        foreach (var (key, value) in extra ?? [])
        {
            parameters[key] = value?.DeepClone();
        }

        var metrics = new JsonObject();
        foreach (var (key, value) in manifest.Metrics)
        {
            metrics[key] = double.IsFinite(value) ? value : null;
        }

        var calibration = manifest.Calibration;
        metrics["oos_mode"] = calibration.Mode.ToString();
        metrics["threshold"] = calibration.Threshold;
        metrics["labels"] = manifest.Labels.Count;

        return new RunRecord
        {
            Id = id,
            Kind = RunKind,
            Created = created,
            DataHash = dataHash ?? manifest.DataHash,
            ModelPath = modelPath,
            Parameters = parameters,
            History = JsonSerializer.SerializeToNode(manifest.History, RunJson.Options)!.AsArray(),
            Metrics = metrics,
        };
    }

    private static class RunJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        };
    }
}
