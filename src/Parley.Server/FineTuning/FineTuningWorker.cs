using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Core;
using Parley.Core.IO;
using Parley.Nlu.Data;
using Parley.Nlu.Features;
using Parley.Nlu.FineTuning;
using Parley.Nlu.Training;
using Parley.OpenAI.FineTuning;
using Parley.Server.Hosting;

namespace Parley.Server.FineTuning;

/// <summary>
/// Runs fine-tuning jobs in the background, at most <see cref="ParleyServerOptions.MaxConcurrentFineTuningJobs"/> at a
/// time: validates the files, trains, saves the model, and records every step as events and checkpoints. Jobs left
/// unfinished by a previous run of the server start again from the beginning.
/// </summary>
internal sealed class FineTuningWorker(FineTuningStore store, BotRegistry registry, ParleyServerOptions options, ILogger<FineTuningWorker> logger)
    : BackgroundService
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentFineTuningJobs, options.MaxConcurrentFineTuningJobs);

    /// <summary>Queues a job created in <c>validating_files</c>.</summary>
    public void Enqueue(string jobId) => _queue.Writer.TryWrite(jobId);

    /// <summary>Cancels a job that has not finished: its status becomes <c>cancelled</c> and its training stops.</summary>
    /// <returns>The job afterwards, or null when there is no such job.</returns>
    public async Task<FineTuningJobObject?> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        var (job, changed) = await store.UpdateJobAsync(jobId, j => FineTuningJobStatuses.IsTerminal(j.Status) ? null : j with
        {
            Status = FineTuningJobStatuses.Cancelled,
            FinishedAt = store.Now,
        }, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            if (_running.TryGetValue(jobId, out var running))
            {
                await running.CancelAsync().ConfigureAwait(false);
            }

            await store.AddEventAsync(jobId, "info", "Fine-tuning job cancelled", cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }

        return job;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken).ConfigureAwait(false);
        var jobs = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                string id;
                try
                {
                    id = await _queue.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }

                jobs.RemoveAll(t => t.IsCompleted);
                jobs.Add(Task.Run(async () =>
                {
                    try
                    {
                        await RunAsync(id, stoppingToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(jobs).ConfigureAwait(false);
    }

    /// <summary>Puts jobs that a previous run left unfinished back in the queue, oldest first, or fails those whose files are gone.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var job in (await store.ListJobsAsync(cancellationToken).ConfigureAwait(false)).Reverse())
        {
            if (FineTuningJobStatuses.IsTerminal(job.Status))
            {
                continue;
            }

            var missing = new[] { job.TrainingFile, job.ValidationFile }.FirstOrDefault(f => f is not null && !File.Exists(store.ContentPath(f)));
            if (missing is not null)
            {
                await FailAsync(job.Id, new FineTuningJobError("file_not_found",
                    $"The server restarted while the job was {job.Status}, and the file {missing} no longer exists: upload it again and create a new job.",
                    missing == job.TrainingFile ? "training_file" : "validation_file")).ConfigureAwait(false);
                continue;
            }

            store.ClearCheckpoints(job.Id);
            var (_, changed) = await store.UpdateJobAsync(job.Id, j => FineTuningJobStatuses.IsTerminal(j.Status) ? null : j with { Status = FineTuningJobStatuses.ValidatingFiles }, cancellationToken).ConfigureAwait(false);
            if (changed)
            {
                await store.AddEventAsync(job.Id, "info", $"The server restarted while the job was {job.Status}: it runs again from the beginning.", cancellationToken: cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Resuming fine-tuning job {Job} (was {Status})", job.Id, job.Status);
                Enqueue(job.Id);
            }
        }
    }

    private async Task RunAsync(string jobId, CancellationToken stoppingToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[jobId] = cancel;
        try
        {
            if (await store.GetJobAsync(jobId, cancel.Token).ConfigureAwait(false) is not { Status: FineTuningJobStatuses.ValidatingFiles } job)
            {
                return;
            }

            await RunJobAsync(job, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            if (stoppingToken.IsCancellationRequested && await store.GetJobAsync(jobId, CancellationToken.None).ConfigureAwait(false) is { } job && !FineTuningJobStatuses.IsTerminal(job.Status))
            {
                // Left as it is, so the next start of the server runs it again.
                await store.AddEventAsync(jobId, "info", "The server is stopping: the job will run again from the beginning when it restarts.").ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Fine-tuning job {Job} failed", jobId);
            await FailAsync(jobId, new FineTuningJobError("server_error", $"Training failed: {e.Message}", null)).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(jobId, out _);
        }
    }

    private async Task RunJobAsync(FineTuningJobObject job, CancellationToken cancellationToken)
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
        var epochsRun = 0;
        var progress = new IntentTrainingProgress
        {
            Epochs = new SynchronousProgress<EpochMetrics>(metrics =>
            {
                epochsRun = metrics.WithOosClass ? epochsRun : metrics.Epoch;
                ReportEpochAsync(job.Id, model, metrics, stepsPerEpoch, totalSteps).GetAwaiter().GetResult();
            }),
        };
        var featurizer = FeaturizerFactory.Create(new FeaturizerSettings(), registry.Embeddings);
        var trained = await ChatResponseModelTrainer.TrainAsync(featurizer, training, validation, hyperparameters, options.FineTunedFallbackReply, progress, cancellationToken).ConfigureAwait(false);
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
        var file = await store.GetFileAsync(fileId, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Moves a job on unless it was cancelled meanwhile (then training stops here).</summary>
    /// <summary>Moves the job to <paramref name="status"/>; false when it has ended meanwhile (cancelled), so the caller stops.</summary>
    private async Task<bool> MoveAsync(string jobId, string status, Func<FineTuningJobObject, FineTuningJobObject> change, CancellationToken cancellationToken)
    {
        var (_, changed) = await store.UpdateJobAsync(jobId, j => FineTuningJobStatuses.IsTerminal(j.Status) ? null : change(j) with { Status = status }, cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private async Task FailAsync(string jobId, FineTuningJobError error)
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
