using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Parley.Core;
using Parley.Core.IO;
using Parley.Nlu.Data;
using Parley.Nlu.Features;
using Parley.Nlu.FineTuning;
using Parley.Nlu.Training;
using Parley.OpenAI.FineTuning;
using Parley.Server.Hosting;
using Parley.Server.Security;

namespace Parley.Server.FineTuning;

/// <summary>
/// Trains one fine-tuning job: validates its files, trains, saves the model, and records every step as events and
/// checkpoints. Which job runs where, and for how long, is <see cref="FineTuningQueue"/>'s business.
/// </summary>
internal sealed class FineTuningJobRunner(FineTuningStore store, BotRegistry registry, ParleyServerOptions options)
{
    /// <summary>
    /// Trains <paramref name="job"/> (in <c>validating_files</c>) to the end: it succeeds, fails with the reason, or
    /// stops when <paramref name="cancellationToken"/> fires (cancelled, the lease lost, the server stopping).
    /// </summary>
    public async Task RunAsync(FineTuningJobObject job, CancellationToken cancellationToken)
    {
        await store.AddEventAsync(job.Id, "info", $"Validating training file: {job.TrainingFile}" + (job.ValidationFile is { } v ? $" and validation file: {v}" : ""), cancellationToken: cancellationToken).ConfigureAwait(false);
        var training = await ReadAsync(job, job.TrainingFile, "training_file", cancellationToken).ConfigureAwait(false);
        var validation = job.ValidationFile is { } validationFile ? await ReadAsync(job, validationFile, "validation_file", cancellationToken).ConfigureAwait(false) : null;
        if (training is null || (job.ValidationFile is not null && validation is null))
        {
            return;
        }

        if (validation is not null && validation.Kind != training.Kind)
        {
            await FailAsync(job.Id, new FineTuningJobError("invalid_validation_file",
                $"The validation file {job.ValidationFile} is {Describe(validation.Kind)} but the training file is {Describe(training.Kind)}: use the same format for both.", "validation_file")).ConfigureAwait(false);
            return;
        }

        if (!await MoveAsync(job.Id, FineTuningJobStatuses.Queued, j => j, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await store.AddEventAsync(job.Id, "info", "Files validated, moving job to queued state", cancellationToken: cancellationToken).ConfigureAwait(false);

        var hyperparameters = FineTuningRequest.ReadHyperparameters(job.Hyperparameters, job.Seed);
        var trainer = hyperparameters.ToTrainerOptions();
        var used = new JsonObject
        {
            ["n_epochs"] = trainer.Epochs,
            ["batch_size"] = trainer.BatchSize,
            ["learning_rate_multiplier"] = hyperparameters.LearningRateMultiplier ?? 1.0,
        };
        var model = FineTunedModelId(job);
        if (!await MoveAsync(job.Id, FineTuningJobStatuses.Running, j => j with
            {
                Hyperparameters = used,
                Method = FineTuningRequest.Supervised(used.DeepClone().AsObject()),
            }, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var started = string.Create(CultureInfo.InvariantCulture, $"Fine-tuning job started: {training.Examples.Count} {Describe(training.Kind)} examples, up to {trainer.Epochs} epochs");
        await store.AddEventAsync(job.Id, "info", started + (hyperparameters.Epochs is null ? " with early stopping" : ""), cancellationToken: cancellationToken).ConfigureAwait(false);

        var stepsPerEpoch = (training.Examples.Count + trainer.BatchSize - 1) / trainer.BatchSize;
        var totalSteps = stepsPerEpoch * trainer.Epochs;
        if (options.FineTuningTrainingDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.FineTuningTrainingDelay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        // The trainer reports epochs synchronously on its thread; they are written by an async reader in their order,
        // so training never blocks on the database.
        var epochsRun = 0;
        var epochs = Channel.CreateUnbounded<EpochMetrics>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var progress = new IntentTrainingProgress
        {
            Epochs = new SynchronousProgress<EpochMetrics>(metrics =>
            {
                epochsRun = metrics.WithOosClass ? epochsRun : metrics.Epoch;
                epochs.Writer.TryWrite(metrics);
            }),
        };
        var reports = ReportEpochsAsync(job.Id, model, epochs.Reader, stepsPerEpoch, totalSteps);
        ChatResponseModel trained;
        try
        {
            var featurizer = FeaturizerFactory.Create(new FeaturizerSettings(), registry.Embeddings);
            trained = await ChatResponseModelTrainer.TrainAsync(featurizer, training, validation, hyperparameters, options.FineTunedFallbackReply, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            epochs.Writer.TryComplete();
            await reports.ConfigureAwait(false);
        }

        await trained.SaveAsync(store.ModelPath(job.Id), options.TimeProvider, cancellationToken).ConfigureAwait(false);
        var best = trained.Model.Manifest.Metrics;
        var (_, succeeded) = await store.UpdateJobAsync(job.Id, j => FineTuningJobStatuses.IsTerminal(j.Status) ? null : j with
        {
            Status = FineTuningJobStatuses.Succeeded,
            FineTunedModel = model,
            FinishedAt = store.Now,
            TrainedTokens = training.Tokens * Math.Max(1, epochsRun),
        }, CancellationToken.None).ConfigureAwait(false);
        if (!succeeded)
        {
            // Cancelled between saving and succeeding: the model would never be served.
            AtomicFolder.TryDelete(store.ModelPath(job.Id));
            return;
        }

        var calibration = trained.Model.Calibration;
        if (training.Kind == FineTuningDataKind.Chat && calibration.Threshold <= 0 && calibration.Mode is OosMode.None or OosMode.Threshold)
        {
            await store.AddEventAsync(job.Id, "warn", string.Create(CultureInfo.InvariantCulture,
                $"Too few validation examples ({best.GetValueOrDefault("validation_count")}) to calibrate out-of-scope rejection: only questions unlike every training question (similarity below {ChatResponseModel.DefaultMinSimilarity}) get the fallback reply. Give a validation_file of at least 10 examples (or about 100 training examples or more) to calibrate it."))
                .ConfigureAwait(false);
        }

        await store.AddEventAsync(job.Id, "info", string.Create(CultureInfo.InvariantCulture,
            $"New fine-tuned model created: {model} (best epoch {best.GetValueOrDefault("best_epoch")}, validation accuracy {Format(best.GetValueOrDefault("validation_accuracy", double.NaN))})")).ConfigureAwait(false);
        await store.AddEventAsync(job.Id, "info", "The job has successfully completed").ConfigureAwait(false);
    }

    private async Task ReportEpochsAsync(string jobId, string model, ChannelReader<EpochMetrics> epochs, int stepsPerEpoch, int totalSteps)
    {
        await foreach (var metrics in epochs.ReadAllAsync().ConfigureAwait(false))
        {
            await ReportEpochAsync(jobId, model, metrics, stepsPerEpoch, totalSteps).ConfigureAwait(false);
        }
    }

    private async Task ReportEpochAsync(string jobId, string model, EpochMetrics metrics, int stepsPerEpoch, int totalSteps)
    {
        var step = metrics.Epoch * stepsPerEpoch;
        var data = new JsonObject
        {
            ["step"] = step,
            ["total_steps"] = totalSteps,
            ["epoch"] = metrics.Epoch,
            ["train_loss"] = Number(metrics.TrainLoss),
        };
        var checkpointMetrics = new JsonObject { ["step"] = step, ["train_loss"] = Number(metrics.TrainLoss) };
        if (double.IsFinite(metrics.ValidationAccuracy))
        {
            data["valid_loss"] = Number(metrics.ValidationLoss);
            data["valid_mean_token_accuracy"] = Number(metrics.ValidationAccuracy);
            checkpointMetrics["valid_loss"] = Number(metrics.ValidationLoss);
            checkpointMetrics["valid_mean_token_accuracy"] = Number(metrics.ValidationAccuracy);
            checkpointMetrics["full_valid_loss"] = Number(metrics.ValidationLoss);
            checkpointMetrics["full_valid_mean_token_accuracy"] = Number(metrics.ValidationAccuracy);
        }

        if (metrics.WithOosClass)
        {
            data["head"] = "with_oos_class";
        }

        var message = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"Step {step}/{totalSteps}: training loss={Format(metrics.TrainLoss)}"));
        if (double.IsFinite(metrics.ValidationAccuracy))
        {
            message.Append(", validation loss=").Append(Format(metrics.ValidationLoss)).Append(", validation accuracy=").Append(Format(metrics.ValidationAccuracy));
        }

        await store.AddEventAsync(jobId, "info", message.ToString(), "metrics", data).ConfigureAwait(false);
        await store.AddCheckpointAsync(new FineTuningCheckpointObject(
            FineTuningIds.New(FineTuningIds.Checkpoint), store.Now, string.Create(CultureInfo.InvariantCulture, $"{model}:ckpt-step-{step}"),
            step, checkpointMetrics, jobId), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<FineTuningData?> ReadAsync(FineTuningJobObject job, string fileId, string param, CancellationToken cancellationToken)
    {
        var file = await store.GetFileAsync(fileId, ApiCaller.Open, cancellationToken).ConfigureAwait(false);
        if (file is null)
        {
            await FailAsync(job.Id, new FineTuningJobError("file_not_found", $"The file {fileId} no longer exists: upload it again and create a new job.", param)).ConfigureAwait(false);
            return null;
        }

        try
        {
            var content = await File.ReadAllTextAsync(store.ContentPath(fileId), Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            return FineTuningDataReader.Read(file.Filename, content);
        }
        catch (DatasetException e)
        {
            await FailAsync(job.Id, new FineTuningJobError(param == "training_file" ? "invalid_training_file" : "invalid_validation_file",
                $"The {(param == "training_file" ? "training" : "validation")} file {fileId} is invalid: {e.Message}", param)).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Moves the job to <paramref name="status"/>; false when it has ended meanwhile (cancelled), so the caller stops.</summary>
    private async Task<bool> MoveAsync(string jobId, string status, Func<FineTuningJobObject, FineTuningJobObject> change, CancellationToken cancellationToken)
    {
        var (_, changed) = await store.UpdateJobAsync(jobId, j => FineTuningJobStatuses.IsTerminal(j.Status) ? null : change(j) with { Status = status }, cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <summary>Fails the job with <paramref name="error"/> (recorded as an error event) unless it has ended already.</summary>
    public async Task FailAsync(string jobId, FineTuningJobError error)
    {
        var (_, changed) = await store.UpdateJobAsync(jobId, j => FineTuningJobStatuses.IsTerminal(j.Status) ? null : j with
        {
            Status = FineTuningJobStatuses.Failed,
            Error = error,
            FinishedAt = store.Now,
        }, CancellationToken.None).ConfigureAwait(false);
        if (changed)
        {
            await store.AddEventAsync(jobId, "error", error.Message).ConfigureAwait(false);
        }
    }

    /// <summary>The model id a job makes: <c>ft:all-MiniLM-L6-v2:&lt;suffix&gt;:&lt;job id&gt;</c>.</summary>
    public static string FineTunedModelId(FineTuningJobObject job) => $"ft:{job.Model}:{job.UserProvidedSuffix}:{job.Id}";

    private static string Describe(FineTuningDataKind kind) => kind == FineTuningDataKind.Chat ? "chat-format" : "intent-labelled";

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;

    private static string Format(double value) => double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
}
