using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Cli.Hosting;
using Parley.Cli.Rendering;
using Parley.Nlu.Data;
using Parley.Nlu.Evaluation;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Models;
using Parley.Nlu.Reports;
using Parley.Nlu.Training;

namespace Parley.Cli.Commands;

/// <summary><c>parley nlu train|eval|calibrate|predict</c>: intent models.</summary>
internal static class NluCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var command = new Command("nlu", "Train, evaluate and use intent models.");
        command.Subcommands.Add(Train(context));
        command.Subcommands.Add(Evaluate(context));
        command.Subcommands.Add(Calibrate(context));
        command.Subcommands.Add(Predict(context));
        return command;
    }

    private static Command Train(CliContext context)
    {
        var dataset = new DatasetArguments(recursive: false);
        var validation = new Option<string?>("--val") { Description = "A separate validation file (default: the data's own validation split, else a stratified 10% of the training data)." };
        var method = new Option<string>("--method")
        {
            Description = "What is trained: auto (chosen by the data), head (a classifier on frozen features), or the encoder too: full, lora or contrastive (docs/intent-models.md).",
            DefaultValueFactory = _ => TrainingMethods.Auto,
        };
        method.AcceptOnlyFromAmong([.. TrainingMethods.All]);
        var augment = new Option<string>("--augment")
        {
            Description = "Typo augmentation: auto (when it helps on validation), typos (one noisy variant of every training example: a character swapped, dropped or doubled, casing, punctuation) or none.",
            DefaultValueFactory = _ => TypoAugmentation.Auto,
        };
        augment.AcceptOnlyFromAmong([.. TypoAugmentation.All]);
        var encoderTraining = new EncoderTrainingArguments();
        var features = new Option<string>("--features")
        {
            Description = "Features: auto (embeddings for text in Latin letters, else char-ngrams), embeddings, char-ngrams (any language) or combined.",
            DefaultValueFactory = _ => FeaturizerSettings.Auto,
        };
        features.AcceptOnlyFromAmong(FeaturizerSettings.Auto, FeaturizerSettings.Embeddings, FeaturizerSettings.CharNGrams, FeaturizerSettings.Combined);
        var output = new Option<string?>("--out") { Description = "The model folder (default: models/<data name>)." }.RefusingFiles(context);
        var optimizer = new Option<string>("--optimizer") { Description = "adam or lbfgs.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("adam", "lbfgs");
        var defaults = new TrainerOptions();
        var seed = new Option<int>("--seed") { Description = "The seed.", DefaultValueFactory = _ => defaults.Seed };
        var epochs = new Option<int>("--epochs") { Description = "The maximum number of epochs.", DefaultValueFactory = _ => defaults.Epochs };
        var learningRate = new Option<double>("--lr") { Description = "The learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var batchSize = new Option<int>("--batch-size") { Description = "The mini-batch size.", DefaultValueFactory = _ => defaults.BatchSize };
        var l2 = new Option<double>("--l2") { Description = "The L2 penalty.", DefaultValueFactory = _ => defaults.L2 };
        var patience = new Option<int>("--patience") { Description = "Epochs without a better validation accuracy before stopping.", DefaultValueFactory = _ => defaults.Patience };
        var maxRejection = MaxRejectionOption();
        var perIntent = PerIntentThresholdsOption();
        var classWeights = new Option<string>("--class-weights") { Description = "none or balanced.", DefaultValueFactory = _ => "none" };
        classWeights.AcceptOnlyFromAmong("none", "balanced");
        var conflicts = new Option<string>("--conflicts") { Description = "The same text with different labels: error (refuse the data) or warn.", DefaultValueFactory = _ => "error" };
        conflicts.AcceptOnlyFromAmong("error", "warn");
        var database = new Option<string?>("--db") { Description = "The database where the run is recorded." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var yes = LargeDataCheck.CreateYesOption();

        var command = new Command("train", "Train an intent model on labelled utterances and record the run.");
        dataset.AddTo(command);
        encoderTraining.AddTo(command);
        foreach (var option in new Option[] { validation, method, augment, features, output, optimizer, seed, epochs, learningRate, batchSize, l2, patience, maxRejection, perIntent, classWeights, conflicts, database, json, yes })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var started = DateTimeOffset.UtcNow;
            var stopwatch = Stopwatch.StartNew();
            var validationOptions = new ValidationOptions
            {
                ConflictingLabels = result.GetValue(conflicts) == "warn" ? DatasetIssueSeverity.Warning : DatasetIssueSeverity.Error,
            };
            var data = await dataset.ReadAsync(context, result, cancellationToken).ConfigureAwait(false);
            await DatasetArguments.RequireValidAsync(context, data, validationOptions).ConfigureAwait(false);
            var (train, val) = SelectTraining(data);
            if (result.GetValue(validation) is { } validationPath)
            {
                var validationData = await dataset.ReadAsync(context, result, cancellationToken, validationPath).ConfigureAwait(false);
                await DatasetArguments.RequireValidAsync(context, validationData, validationOptions).ConfigureAwait(false);
                val = [.. validationData.AllItems];
            }

            var options = new TrainerOptions
            {
                Optimizer = result.GetValue(optimizer) == "lbfgs" ? OptimizerKind.Lbfgs : OptimizerKind.Adam,
                Seed = result.GetValue(seed),
                Epochs = result.GetValue(epochs),
                MinSteps = result.GetResult(epochs) is { Implicit: false } ? 0 : defaults.MinSteps,
                LearningRate = result.GetValue(learningRate),
                BatchSize = result.GetValue(batchSize),
                L2 = result.GetValue(l2),
                Patience = result.GetValue(patience),
                MaxInScopeRejection = result.GetValue(maxRejection),
                PerIntentThresholds = PerIntentThresholds(result, perIntent, maxRejection) ?? false,
                ClassWeighting = result.GetValue(classWeights) == "balanced" ? ClassWeighting.Balanced : ClassWeighting.None,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException($"invalid training option: {e.Message}", e, ExitCodes.Usage);
            }

            var quiet = result.GetValue(json);
            await NluDataChecks.BeforeTrainingAsync(context, data.Path, [.. train.Select(i => i.ToExample())], val?.Select(i => i.ToExample()).ToArray(), options).ConfigureAwait(false);
            var progress = new TrainingProgressWriter(context, quiet, options.Epochs);
            var (featureSettings, featureReason) = FeatureSelection.Resolve(new FeaturizerSettings { Kind = result.GetValue(features)! }, train.Select(i => i.Text));
            if (!quiet)
            {
                await context.Error.WriteLineAsync(featureReason).ConfigureAwait(false);
            }

            var folder = Path.GetFullPath(result.GetValue(output) ?? Path.Combine("models", data.Name), context.CurrentDirectory);
            var (methodName, methodReason) = MethodSelection.Resolve(result.GetValue(method)!, featureSettings.Kind, [.. train.Select(i => i.ToExample())]);
            if (!quiet)
            {
                await context.Error.WriteLineAsync(methodReason).ConfigureAwait(false);
            }

            var encoderOptions = EncoderTrainingArguments.IsFineTuning(methodName)
                ? encoderTraining.Options(context, result, methodName, featureSettings, folder, options.Seed)
                : null;
            await LargeDataCheck.ConfirmAsync(context, [.. train.Select(i => i.Text)], featureSettings.Kind, encoderOptions is not null,
                result.GetValue(yes), LocalEmbeddings.Create(context), cancellationToken).ConfigureAwait(false);
            var (trainExamples, validationExamples, augmentation, augmentReason) = await AugmentAsync(
                context, result.GetValue(augment)!, featureSettings, [.. train.Select(i => i.ToExample())], val?.Select(i => i.ToExample()).ToArray(), options, cancellationToken).ConfigureAwait(false);
            if (!quiet)
            {
                await context.Error.WriteLineAsync(augmentReason).ConfigureAwait(false);
            }

            using var fineTuned = encoderOptions is null
                ? null
                : await encoderTraining.TrainAsync(context, encoderOptions, methodName, featureSettings, trainExamples, validationExamples, options, progress, quiet, cancellationToken).ConfigureAwait(false);
            var model = fineTuned?.Model ?? await IntentModelTrainer.TrainAsync(
                FeaturizerFactory.Create(featureSettings, LocalEmbeddings.Create(context)),
                trainExamples,
                validationExamples,
                options,
                progress.Progress,
                cancellationToken).ConfigureAwait(false);
            context.Status.End();

            model = model.WithMethod(methodName, methodReason).WithAugmentation(augmentation, augmentReason);
            await model.SaveAsync(folder, cancellationToken: cancellationToken).ConfigureAwait(false);
            var encoderRecord = fineTuned is null ? null : await encoderTraining.FinishAsync(context, result, fineTuned, folder, cancellationToken).ConfigureAwait(false);

            var runId = $"run-{started:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            var settings = SettingsLoader.Load(context, [new("Parley:Database", result.GetValue(database))]);
            var runs = settings.Database().OpenRuns();
            using (runs as IDisposable)
            {
                var extra = new JsonObject { ["data"] = data.Path, ["format"] = data.Format.ToString(), ["method"] = methodName, ["method_reason"] = methodReason, ["augment"] = augmentation, ["augment_reason"] = augmentReason, ["encoder"] = encoderRecord };
                await runs.SaveAsync(IntentModelTrainer.ToRunRecord(model, runId, started, data.Hash, folder, extra), cancellationToken).ConfigureAwait(false);
            }

            var calibration = model.Calibration;
            var summary = new JsonObject
            {
                ["model"] = folder,
                ["run"] = runId,
                ["intents"] = model.Intents.Count(),
                ["method"] = methodName,
                ["method_reason"] = methodReason,
                ["augment"] = augmentation,
                ["augment_reason"] = augmentReason,
                ["train"] = model.Manifest.Metrics.GetValueOrDefault("train_count"),
                ["validation"] = model.Manifest.Metrics.GetValueOrDefault("validation_count"),
                ["best_epoch"] = model.Manifest.Metrics.GetValueOrDefault("best_epoch"),
                ["validation_accuracy"] = model.Manifest.Metrics.GetValueOrDefault("validation_accuracy", double.NaN) is var accuracy && double.IsFinite(accuracy) ? accuracy : null,
                ["operating_point"] = new JsonObject
                {
                    ["mode"] = calibration.Mode.ToString(),
                    ["threshold"] = calibration.Threshold,
                    ["criterion"] = calibration.Criterion,
                    ["in_scope_accuracy"] = double.IsFinite(calibration.InScopeAccuracy) ? calibration.InScopeAccuracy : null,
                    ["oos_recall"] = calibration.OosRecall,
                    ["rejection_rate"] = calibration.RejectionRate,
                    ["intent_thresholds"] = calibration.IntentThresholds.Count,
                },
                ["seconds"] = Math.Round(stopwatch.Elapsed.TotalSeconds, 2),
            };
            if (encoderRecord is not null)
            {
                summary["encoder"] = encoderRecord.DeepClone();
            }

            if (quiet)
            {
                await context.Out.WriteLineAsync(summary.ToJsonString(Json)).ConfigureAwait(false);
            }
            else
            {
                var validationAccuracy = model.Manifest.Metrics.GetValueOrDefault("validation_accuracy", double.NaN);
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Trained {summary["intents"]} intents on {summary["train"]} utterances in {stopwatch.Elapsed.TotalSeconds:0.0} s: best epoch {summary["best_epoch"]}, {(double.IsFinite(validationAccuracy) ? $"validation accuracy {validationAccuracy:0.0000}" : "no validation items")}.")).ConfigureAwait(false);
                await context.Out.WriteLineAsync(calibration.Mode == OosMode.None
                    ? "Out-of-scope: no threshold (no validation items to calibrate on)."
                    : string.Create(CultureInfo.InvariantCulture,
                        $"Out-of-scope: {calibration.Mode}, threshold {calibration.Threshold:0.000} ({calibration.Criterion}); validation in-scope accuracy {calibration.InScopeAccuracy:0.0000}{(calibration.OosRecall is { } recall ? $", oos recall {recall:0.0000}" : "")}, rejection rate {calibration.RejectionRate:0.0000}{(calibration.IntentThresholds.Count > 0 ? $"; {calibration.IntentThresholds.Count} intents with their own threshold" : "")}.")).ConfigureAwait(false);
                if (fineTuned is { Training: var tuning })
                {
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"Encoder ({methodName}): best epoch {tuning.BestEpoch} of {tuning.History.Count}, {tuning.TrainableParameters:N0} of {tuning.TotalParameters:N0} weights trained ({100.0 * tuning.TrainableParameters / tuning.TotalParameters:0.00}%){(tuning.ResumedAtStep > 0 ? $", resumed after step {tuning.ResumedAtStep}" : "")}{(encoderRecord?["adapter_bytes"] is { } bytes ? $", adapters {bytes} bytes" : "")}.")).ConfigureAwait(false);
                }

                await context.Out.WriteLineAsync($"Model: {folder} · run {runId}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Evaluate(CliContext context)
    {
        var dataset = new DatasetArguments(recursive: false);
        var modelOption = new Option<string>("--model") { Description = "The model folder.", Required = true };
        var split = new Option<string>("--split") { Description = "Which split of the data to evaluate (CLINC150: test = test + oos_test); data with one split is evaluated whole.", DefaultValueFactory = _ => DatasetSplitNames.Test };
        var report = new Option<string?>("--report") { Description = "Write metrics.json and report.html to this folder." }.RefusingFiles(context);
        var json = new Option<bool>("--json") { Description = "Print the metrics as one JSON object." };
        var database = new Option<string?>("--db") { Description = "The database of the model's training run, on which the evaluation is recorded (the run page shows it)." };
        var command = new Command("eval", "Evaluate an intent model on labelled data: accuracy, out-of-scope, macro-F1, per-intent metrics, confusions, calibration, latency.");
        dataset.AddTo(command);
        command.Options.Add(modelOption);
        command.Options.Add(split);
        command.Options.Add(report);
        command.Options.Add(json);
        command.Options.Add(database);
        command.SetAction(async (result, cancellationToken) =>
        {
            var model = await LoadAsync(context, result.GetValue(modelOption)!, cancellationToken).ConfigureAwait(false);
            var (data, name, items) = await ReadSplitAsync(context, dataset, result, result.GetValue(split)!, model, cancellationToken).ConfigureAwait(false);
            var texts = items.Select(i => i.Text).ToArray();
            var predictions = await model.PredictBatchAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
            var uncached = await LoadAsync(context, result.GetValue(modelOption)!, cancellationToken, LocalEmbeddings.Uncached(context)).ConfigureAwait(false);
            var latency = await MeasureLatencyAsync(uncached, texts, cancellationToken).ConfigureAwait(false);
            var evaluated = items.Select((item, i) => new EvaluationItem(item.Text, item.Intent, predictions[i].Predicted, predictions[i].ClosedPredicted, predictions[i].Confidence)).ToArray();
            var metrics = IntentEvaluator.Compute(evaluated, latency);

            if (result.GetValue(report) is { } reportFolder)
            {
                var curve = model.Manifest.History.Where(h => !h.WithOosClass)
                    .Select(h => new TrainingCurvePoint(h.Epoch, h.TrainLoss, h.ValidationLoss, h.ValidationAccuracy)).ToArray();
                await EvaluationReportWriter.WriteAsync(Path.GetFullPath(reportFolder, context.CurrentDirectory),
                    $"{Path.GetFileName(result.GetValue(modelOption)!.TrimEnd('/'))} on {data.Name} ({name})", metrics, evaluated, curve, cancellationToken).ConfigureAwait(false);
            }

            // The evaluation goes on the model's training run (the newest run that wrote this model folder), if recorded.
            var modelFolder = Path.GetFullPath(result.GetValue(modelOption)!, context.CurrentDirectory).TrimEnd(Path.DirectorySeparatorChar);
            var runs = SettingsLoader.Load(context, [new("Parley:Database", result.GetValue(database))]).Database().OpenRuns();
            string? recordedOn = null;
            using (runs as IDisposable)
            {
                var run = (await runs.ListAsync(IntentModelTrainer.RunKind, 500, cancellationToken).ConfigureAwait(false))
                    .Where(r => r.ModelPath is { } path && string.Equals(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar), modelFolder, StringComparison.Ordinal))
                    .MaxBy(r => r.Created);
                if (run is not null)
                {
                    await runs.SaveAsync(RunEvaluation.Attach(run, $"{data.Name} ({name})", DateTimeOffset.UtcNow, metrics, evaluated), cancellationToken).ConfigureAwait(false);
                    recordedOn = run.Id;
                }
            }

            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(metrics, Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (recordedOn is not null)
            {
                await context.Error.WriteLineAsync($"recorded on run {recordedOn} (parley runs show {recordedOn}; the web app's run page shows the report)").ConfigureAwait(false);
            }

            static string Pct(double? v) => v is null ? "—" : (v.Value * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
            await context.Out.WriteLineAsync($"{metrics.Count} items ({metrics.OosCount} out-of-scope)").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"accuracy {Pct(metrics.Accuracy)} · closed {Pct(metrics.ClosedAccuracy)} · in-scope {Pct(metrics.InScopeAccuracy)} · oos recall {Pct(metrics.OosRecall)} · oos precision {Pct(metrics.OosPrecision)} · macro-F1 {Pct(metrics.MacroF1)} · ECE {metrics.ExpectedCalibrationError.ToString("0.000", CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"latency p50 {latency.P50Ms:0.0} ms, p95 {latency.P95Ms:0.0} ms; batched {latency.BatchPerSecond:0}/s")).ConfigureAwait(false);
            foreach (var confusion in metrics.TopConfusions.Take(5))
            {
                await context.Out.WriteLineAsync($"  {confusion.Gold} → {confusion.Predicted}: {confusion.Count}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<double?> MaxRejectionOption()
    {
        var option = new Option<double?>("--max-rejection")
        {
            Description = "With labelled oos validation items: reject at most this share of in-scope validation items (e.g. 0.01) and as many oos items as that allows, instead of balancing in-scope accuracy and oos recall.",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } share && !(share >= 0 && share < 1))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--max-rejection is a share of in-scope items, at least 0 and below 1 (e.g. 0.01 for 1%); got {share}"));
            }
        });
        return option;
    }

    private static Option<bool?> PerIntentThresholdsOption() => new("--per-intent-thresholds")
    {
        Description = $"Also choose one out-of-scope threshold per intent, for intents predicted on at least {new TrainerOptions().MinItemsPerIntentThreshold} validation items (the others keep the global one); "
            + "--per-intent-thresholds false removes them on calibrate. Not with --max-rejection, whose budget is one threshold for all intents.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The <c>--per-intent-thresholds</c> value (null when not given); a usage error with <c>--max-rejection</c>.</summary>
    private static bool? PerIntentThresholds(ParseResult result, Option<bool?> perIntent, Option<double?> maxRejection)
    {
        var value = result.GetValue(perIntent);
        if (value == true && result.GetValue(maxRejection) is not null)
        {
            throw new CliException("--per-intent-thresholds cannot go with --max-rejection: a rejection budget sets one threshold for all intents", exitCode: ExitCodes.Usage);
        }

        return value;
    }

    private static Command Calibrate(CliContext context)
    {
        var dataset = new DatasetArguments(recursive: false);
        var modelOption = new Option<string>("--model") { Description = "The model folder.", Required = true };
        var split = new Option<string>("--split") { Description = "Which split of the data to calibrate on (CLINC150: val = val + oos_val); data with one split is used whole. Never the test split you report on.", DefaultValueFactory = _ => DatasetSplitNames.Validation };
        var maxRejection = MaxRejectionOption();
        var perIntent = PerIntentThresholdsOption();
        var output = new Option<string?>("--out") { Description = "Write the recalibrated model here (default: replace the model folder, atomically)." }.RefusingFiles(context);
        var json = new Option<bool>("--json") { Description = "Print the new calibration as one JSON object." };
        var command = new Command("calibrate", "Choose a model's out-of-scope threshold again on labelled validation data, without training: balanced, or within an in-scope rejection budget (--max-rejection).");
        dataset.AddTo(command);
        foreach (var option in new Option[] { modelOption, split, maxRejection, perIntent, output, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = result.GetValue(modelOption)!;
            var model = await LoadAsync(context, folder, cancellationToken).ConfigureAwait(false);
            var (data, name, items) = await ReadSplitAsync(context, dataset, result, result.GetValue(split)!, model, cancellationToken, warnUnknownLabels: false).ConfigureAwait(false);
            var budget = result.GetValue(maxRejection);
            var perIntentThresholds = PerIntentThresholds(result, perIntent, maxRejection);
            IntentModel calibrated;
            try
            {
                calibrated = await model.CalibrateAsync([.. items.Select(i => i.ToExample())], budget, perIntentThresholds, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                // The library's message, without .NET's "(Parameter 'validation')" suffix.
                var reason = e.ParamName is { } parameter ? e.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : e.Message;
                throw new CliException($"cannot calibrate on {data.Path} ({name}): {reason}", e, ExitCodes.Usage);
            }
            catch (InvalidDataException e)
            {
                throw new CliException($"cannot calibrate on {data.Path} ({name}): {e.Message}", e, ExitCodes.Failure);
            }

            var target = Path.GetFullPath(result.GetValue(output) ?? folder, context.CurrentDirectory);
            await calibrated.SaveAsync(target, cancellationToken: cancellationToken).ConfigureAwait(false);
            var before = model.Calibration;
            var after = calibrated.Calibration;
            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(new JsonObject
                {
                    ["model"] = target,
                    ["mode"] = after.Mode.ToString(),
                    ["threshold"] = after.Threshold,
                    ["criterion"] = after.Criterion,
                    ["in_scope_accuracy"] = after.InScopeAccuracy,
                    ["oos_recall"] = after.OosRecall,
                    ["rejection_rate"] = after.RejectionRate,
                    ["previous_threshold"] = before.Threshold,
                    ["intent_thresholds"] = after.IntentThresholds.Count,
                    ["previous_intent_thresholds"] = before.IntentThresholds.Count,
                }, Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{target}: {after.Mode}, threshold {before.Threshold:0.000} → {after.Threshold:0.000} ({after.Criterion}); on {data.Name} ({name}): in-scope accuracy {after.InScopeAccuracy:0.0000}{(after.OosRecall is { } recall ? $", oos recall {recall:0.0000}" : "")}, rejection rate {after.RejectionRate:0.0000}.")).ConfigureAwait(false);
            if (after.IntentThresholds.Count > 0 || before.IntentThresholds.Count > 0)
            {
                // Per-intent thresholds are chosen again with the balanced criterion; a budget is one threshold for all.
                await context.Out.WriteLineAsync(after.IntentThresholds.Count > 0
                    ? $"Per-intent thresholds: {after.IntentThresholds.Count} (before: {before.IntentThresholds.Count})."
                    : $"Per-intent thresholds: none (before: {before.IntentThresholds.Count}); a rejection budget sets one threshold for every intent.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Predict(CliContext context)
    {
        var modelOption = new Option<string>("--model") { Description = "The model folder.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var text = new Argument<string[]>("text") { Description = "The utterance; none or '-' reads one utterance per line from standard input.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("predict", "Predict the intent of utterances.");
        command.Options.Add(modelOption);
        command.Options.Add(json);
        command.Arguments.Add(text);
        command.SetAction(async (result, cancellationToken) =>
        {
            var model = await LoadAsync(context, result.GetValue(modelOption)!, cancellationToken).ConfigureAwait(false);
            var words = result.GetValue(text) ?? [];
            var lines = words.Length == 0 || words is ["-"]
                ? (await context.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray()
                : [string.Join(' ', words)];
            foreach (var line in lines)
            {
                var prediction = await model.ClassifyAsync(line, cancellationToken).ConfigureAwait(false);
                var best = prediction.Best ?? new IntentScore(OutOfScope.Label, 0);
                if (result.GetValue(json))
                {
                    var node = new JsonObject
                    {
                        ["text"] = line,
                        ["intent"] = best.Intent,
                        ["confidence"] = best.Confidence,
                        ["top"] = new JsonArray(prediction.Top.Select(t => (JsonNode)new JsonObject { ["intent"] = t.Intent, ["confidence"] = t.Confidence }).ToArray()),
                    };
                    await context.Out.WriteLineAsync(node.ToJsonString(Json)).ConfigureAwait(false);
                }
                else
                {
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{best.Intent}\t{best.Confidence:0.000}\t{line}")).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The training and validation examples after <c>--augment</c>: with augmentation and no validation data, the
    /// validation part is held out first (as the trainer would), so no variant of a validation item is trained on.
    /// </summary>
    private static async Task<(LabeledExample[] Train, LabeledExample[]? Validation, string Augmentation, string Reason)> AugmentAsync(
        CliContext context, string choice, FeaturizerSettings features, LabeledExample[] train, LabeledExample[]? validation, TrainerOptions options, CancellationToken cancellationToken)
    {
        var (use, reason) = choice == TypoAugmentation.Auto
            ? await TypoAugmentation.DecideAsync(FeaturizerFactory.Create(features, LocalEmbeddings.Create(context)), train, validation, options, cancellationToken).ConfigureAwait(false)
            : (choice == TypoAugmentation.Typos, $"augment {choice} (as requested)");
        if (!use)
        {
            return (train, validation, TypoAugmentation.None, reason);
        }

        if (validation is null)
        {
            var (kept, held) = StratifiedHoldout.Split([.. train.Select(e => e.Intent)], options.ValidationFraction, options.Seed);
            validation = held.Length == 0 ? null : [.. held.Select(i => train[i])];
            train = [.. kept.Select(i => train[i])];
        }

        return ([.. TypoAugmentation.Apply(train, options.Seed)], validation, TypoAugmentation.Typos, reason);
    }

    /// <summary>
    /// Reads the data for <paramref name="model"/> and picks the split named <paramref name="name"/> (data with one split
    /// is used whole), refusing unreadable lines and warning about labels the model does not know (evaluation counts
    /// them as errors; calibration refuses them itself).
    /// </summary>
    private static async Task<(IntentDataset Data, string Name, IReadOnlyList<DatasetItem> Items)> ReadSplitAsync(
        CliContext context, DatasetArguments dataset, ParseResult result, string name, IntentModel model, CancellationToken cancellationToken, bool warnUnknownLabels = true)
    {
        var data = await dataset.ReadAsync(context, result, cancellationToken).ConfigureAwait(false);
        if (data.ReadErrors.Count > 0)
        {
            await DatasetArguments.ListAsync(context.Error, null, data.ReadErrors).ConfigureAwait(false);
            throw new CliException($"{data.Path} has {data.ReadErrors.Count} unreadable lines: fix them and run again");
        }

        var items = data.Splits.TryGetValue(name, out var chosen) ? chosen
            : data.Splits.Count == 1 ? data.Splits.Values.First()
            : throw new CliException($"{data.Path} has no split '{name}' (it has {string.Join(", ", data.Splits.Keys)}): pass --split");
        if (warnUnknownLabels)
        {
            await NluDataChecks.BeforeEvaluationAsync(context, data.Path, model, items.Select(i => i.Intent)).ConfigureAwait(false);
        }

        return (data, name, items);
    }

    /// <summary>The training items and, when the data has one, its validation split.</summary>
    private static (IReadOnlyList<DatasetItem> Train, IReadOnlyList<DatasetItem>? Validation) SelectTraining(IntentDataset data)
    {
        if (data.Splits.TryGetValue(DatasetSplitNames.Train, out var train))
        {
            return (train, data.Splits.GetValueOrDefault(DatasetSplitNames.Validation));
        }

        return ([.. data.AllItems], null);
    }

    private static async Task<IntentModel> LoadAsync(
        CliContext context, string folder, CancellationToken cancellationToken, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? embeddings = null)
    {
        var path = Path.GetFullPath(folder, context.CurrentDirectory);
        if (!Directory.Exists(path))
        {
            throw new CliException($"no model at {path}: train one with 'parley nlu train --data FILE --out {folder}'");
        }

        embeddings ??= LocalEmbeddings.Create(context);
        try
        {
            return await IntentModel.LoadAsync(path, settings => FeaturizerFactory.Create(settings, embeddings), cancellationToken).ConfigureAwait(false);
        }
        catch (ModelFormatException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    /// <summary>
    /// Latency with the encoder doing real work (no embedding cache): each of up to 200 items alone (after one
    /// warm-up), then the same items as one batch.
    /// </summary>
    private static async Task<LatencyStats> MeasureLatencyAsync(IntentModel model, string[] texts, CancellationToken cancellationToken)
    {
        var sample = texts.Take(200).ToArray();
        var times = new List<double>(sample.Length);
        if (sample.Length > 0)
        {
            await model.ClassifyAsync(sample[0], cancellationToken).ConfigureAwait(false);
        }

        foreach (var text in sample)
        {
            var started = Stopwatch.GetTimestamp();
            await model.ClassifyAsync(text, cancellationToken).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var batch = Stopwatch.StartNew();
        await model.PredictBatchAsync(sample, cancellationToken: cancellationToken).ConfigureAwait(false);
        batch.Stop();

        times.Sort();
        double Percentile(double p) => times.Count == 0 ? 0 : times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
        return new LatencyStats(Percentile(0.5), Percentile(0.95), sample.Length / Math.Max(1e-9, batch.Elapsed.TotalSeconds));
    }
}
