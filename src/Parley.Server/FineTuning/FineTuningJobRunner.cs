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
internal sealed class FineTuningJobRunner(FineTuningStore store, BotRegistry registry, ParleyServerOptions options, IEncoderFineTuner? encoderFineTuner = null)
{
    /// <summary>How often a long encoder run reports where it stands between epochs: every 30 seconds.</summary>
    public static readonly TimeSpan EncoderStepReportInterval = TimeSpan.FromSeconds(30);

    /// <summary>Whether this server can fine-tune the encoder (an <see cref="IEncoderFineTuner"/> is registered).</summary>
    public bool CanFineTuneEncoder => encoderFineTuner is not null;

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
        var (method, methodReason) = MethodSelection.Resolve(FineTuningRequest.RequestedMethod(job), FeaturizerSettings.Embeddings, training.Examples);
        if (TrainingMethods.FineTunesEncoder(method) && encoderFineTuner is null)
        {
            await FailAsync(job.Id, new FineTuningJobError("encoder_unavailable",
                $"This server cannot fine-tune the encoder (method {method}): it runs without Parley.Nlu.Torch. Create the job again with 'parley.method' 'head' or 'auto', or on a server started with the parley command.", "parley.method")).ConfigureAwait(false);
            return;
        }

        var encoder = TrainingMethods.FineTunesEncoder(method) ? encoderFineTuner : null;
        var trainer = hyperparameters.ToTrainerOptions();
        var used = new JsonObject
        {
            ["n_epochs"] = encoder is null ? trainer.Epochs : hyperparameters.Epochs ?? encoder.DefaultEpochs,
            ["batch_size"] = encoder is null ? trainer.BatchSize : hyperparameters.BatchSize ?? encoder.DefaultBatchSize,
            ["learning_rate_multiplier"] = hyperparameters.LearningRateMultiplier ?? 1.0,
        };
        var model = FineTunedModelId(job);
        if (!await MoveAsync(job.Id, FineTuningJobStatuses.Running, j => j with
            {
                Hyperparameters = used,
                Method = FineTuningRequest.Supervised(used.DeepClone().AsObject()),
                Parley = new JsonObject { ["method"] = method, ["method_reason"] = methodReason },
            }, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var epochCount = (int)used["n_epochs"]!;
        var started = string.Create(CultureInfo.InvariantCulture,
            $"Fine-tuning job started: {training.Examples.Count} {Describe(training.Kind)} examples, {(encoder is null ? "the head on frozen embeddings" : $"the encoder ({method}) and a head")}, up to {epochCount} epochs");
        await store.AddEventAsync(job.Id, "info", started + (hyperparameters.Epochs is null ? " with early stopping" : "") + $"; {methodReason}",
            data: new JsonObject { ["method"] = method, ["method_reason"] = methodReason }, cancellationToken: cancellationToken).ConfigureAwait(false);

        if (options.FineTuningTrainingDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.FineTuningTrainingDelay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        // The trainers report synchronously on their thread; the reports are written by an async reader in their order,
        // so training never blocks on the database.
        var reports = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writing = WriteReportsAsync(reports.Reader);
        ChatResponseModel trained;
        int epochsRun;
        try
        {
            (trained, epochsRun) = encoder is null
                ? await TrainHeadAsync(job, model, training, validation, hyperparameters, trainer, reports.Writer, cancellationToken).ConfigureAwait(false)
                : await TrainEncoderAsync(job, model, method, methodReason, encoder, training, validation, hyperparameters, reports.Writer, cancellationToken).ConfigureAwait(false);
        }
        catch (EncoderFineTuningException e)
        {
            await FailAsync(job.Id, new FineTuningJobError("encoder_fine_tuning_failed", $"Fine-tuning the encoder ({method}) failed: {e.Message}", null)).ConfigureAwait(false);
            return;
        }
        finally
        {
            reports.Writer.TryComplete();
            await writing.ConfigureAwait(false);
        }

        try
        {
            await trained.SaveAsync(store.ModelPath(job.Id), options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The fine-tuned encoder is in the saved model now (or the job stopped): its work folder goes.
            AtomicFolder.TryDelete(store.EncoderWorkPath(job.Id));
        }

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

    /// <summary>Trains the head on frozen all-MiniLM-L6-v2 embeddings, reporting every epoch.</summary>
    private async Task<(ChatResponseModel Model, int EpochsRun)> TrainHeadAsync(
        FineTuningJobObject job, string model, FineTuningData training, FineTuningData? validation, FineTuningHyperparameters hyperparameters, TrainerOptions trainer,
        ChannelWriter<Func<Task>> reports, CancellationToken cancellationToken)
    {
        var stepsPerEpoch = (training.Examples.Count + trainer.BatchSize - 1) / trainer.BatchSize;
        var totalSteps = stepsPerEpoch * trainer.Epochs;
        var epochsRun = 0;
        var progress = new IntentTrainingProgress
        {
            Epochs = new SynchronousProgress<EpochMetrics>(metrics =>
            {
                epochsRun = metrics.WithOosClass ? epochsRun : metrics.Epoch;
                reports.TryWrite(() => ReportEpochAsync(job.Id, model, metrics, stepsPerEpoch, totalSteps));
            }),
        };
        var featurizer = FeaturizerFactory.Create(new FeaturizerSettings(), registry.Embeddings);
        var trained = await ChatResponseModelTrainer.TrainAsync(featurizer, training, validation, hyperparameters, options.FineTunedFallbackReply, progress, cancellationToken).ConfigureAwait(false);
        return (trained, epochsRun);
    }

    /// <summary>Fine-tunes the encoder and trains a head on it, reporting every encoder epoch (and, on long runs, where training stands).</summary>
    private async Task<(ChatResponseModel Model, int EpochsRun)> TrainEncoderAsync(
        FineTuningJobObject job, string model, string method, string methodReason, IEncoderFineTuner encoder, FineTuningData training, FineTuningData? validation,
        FineTuningHyperparameters hyperparameters, ChannelWriter<Func<Task>> reports, CancellationToken cancellationToken)
    {
        var work = store.EncoderWorkPath(job.Id);
        AtomicFolder.TryDelete(work);
        var time = options.TimeProvider;
        var lastReport = time.GetTimestamp();
        var epochsRun = 0;
        var progress = new SynchronousProgress<EncoderTrainingProgress>(p =>
        {
            if (p.IsEpochEnd)
            {
                epochsRun = p.Epoch;
                lastReport = time.GetTimestamp();
                reports.TryWrite(() => ReportEncoderEpochAsync(job.Id, model, method, p));
            }
            else if (time.GetElapsedTime(lastReport) >= EncoderStepReportInterval)
            {
                lastReport = time.GetTimestamp();
                reports.TryWrite(() => store.AddEventAsync(job.Id, "info", string.Create(CultureInfo.InvariantCulture,
                    $"Encoder ({method}) step {p.Step}/{p.TotalSteps}, epoch {p.Epoch}: training loss={Format(p.Loss)}, about {Math.Ceiling(p.Remaining.TotalMinutes):0} min left")));
            }
        });

        EncoderFineTuning? tuned = null;
        try
        {
            var trained = await ChatResponseModelTrainer.TrainAsync(
                training,
                validation,
                async (train, valid, token) =>
                {
                    tuned = await encoder.TrainAsync(new EncoderFineTuningRequest
                    {
                        Method = method,
                        Training = train,
                        Validation = valid,
                        WorkFolder = work,
                        Epochs = hyperparameters.Epochs,
                        BatchSize = hyperparameters.BatchSize,
                        LearningRateMultiplier = hyperparameters.LearningRateMultiplier,
                        Seed = hyperparameters.Seed,
                        Progress = progress,
                    }, token).ConfigureAwait(false);
                    return tuned.Model.WithMethod(method, methodReason);
                },
                options.FineTunedFallbackReply,
                cancellationToken).ConfigureAwait(false);
            var t = tuned!;
            reports.TryWrite(() => store.AddEventAsync(job.Id, "info", string.Create(CultureInfo.InvariantCulture,
                $"Encoder fine-tuned ({method}): best epoch {t.BestEpoch} of {t.EpochsRun}, {t.Steps} steps, {t.TrainableParameters:N0} of {t.TotalParameters:N0} weights trained; the head was trained on its embeddings"),
                data: new JsonObject { ["method"] = method, ["best_epoch"] = t.BestEpoch, ["steps"] = t.Steps, ["trainable_parameters"] = t.TrainableParameters, ["total_parameters"] = t.TotalParameters }));
            return (trained, epochsRun);
        }
        catch
        {
            AtomicFolder.TryDelete(work);
            throw;
        }
        finally
        {
            // The model's featurizer reads the exported encoder (ONNX); the torch encoder is no longer needed.
            tuned?.Dispose();
        }
    }

    private async Task ReportEncoderEpochAsync(string jobId, string model, string method, EncoderTrainingProgress progress)
    {
        var data = new JsonObject
        {
            ["step"] = progress.Step,
            ["total_steps"] = progress.TotalSteps,
            ["epoch"] = progress.Epoch,
            ["train_loss"] = Number(progress.Loss),
            ["method"] = method,
        };
        var checkpointMetrics = new JsonObject { ["step"] = progress.Step, ["train_loss"] = Number(progress.Loss) };
        var message = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Encoder ({method}) epoch {progress.Epoch}, step {progress.Step}/{progress.TotalSteps}: training loss={Format(progress.Loss)}"));
        if (progress.ValidationAccuracy is { } accuracy && double.IsFinite(accuracy))
        {
            data["valid_mean_token_accuracy"] = Number(accuracy);
            checkpointMetrics["valid_mean_token_accuracy"] = Number(accuracy);
            checkpointMetrics["full_valid_mean_token_accuracy"] = Number(accuracy);
            message.Append(", validation accuracy=").Append(Format(accuracy));
        }

        await store.AddEventAsync(jobId, "info", message.ToString(), "metrics", data).ConfigureAwait(false);
        await store.AddCheckpointAsync(new FineTuningCheckpointObject(
            FineTuningIds.New(FineTuningIds.Checkpoint), store.Now, string.Create(CultureInfo.InvariantCulture, $"{model}:ckpt-step-{progress.Step}"),
            progress.Step, checkpointMetrics, jobId), CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task WriteReportsAsync(ChannelReader<Func<Task>> reports)
    {
        await foreach (var report in reports.ReadAllAsync().ConfigureAwait(false))
        {
            await report().ConfigureAwait(false);
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
