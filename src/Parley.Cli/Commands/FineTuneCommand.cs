using System.CommandLine;
using System.Globalization;
using Parley.Cli.Rendering;
using Parley.OpenAI.FineTuning;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley finetune create|status|events|cancel|list|eval</c>: fine-tuning jobs on an OpenAI-compatible endpoint (a
/// Parley server by default, or api.openai.com), through the official OpenAI SDK.
/// </summary>
/// <remarks>
/// Text goes to standard output for results (job ids, tables) and to standard error for progress; <c>--json</c> prints
/// OpenAI's object shapes (<c>fine_tuning.job</c>, <c>fine_tuning.job.event</c>, <c>list</c>). Exit 3 when the
/// endpoint fails or a waited-for job fails or is cancelled.
/// </remarks>
internal static class FineTuneCommand
{
    public static Command Create(CliContext context)
    {
        var endpoint = new FineTuneEndpointOptions();
        var command = new Command("finetune", "Create, follow, list and cancel fine-tuning jobs on a Parley server or OpenAI, and compare a fine-tuned model with its base.");
        endpoint.AddTo(command);
        command.Subcommands.Add(CreateCommand(context, endpoint));
        command.Subcommands.Add(StatusCommand(context, endpoint));
        command.Subcommands.Add(EventsCommand(context, endpoint));
        command.Subcommands.Add(CancelCommand(context, endpoint));
        command.Subcommands.Add(ListCommand(context, endpoint));
        command.Subcommands.Add(FineTuneEvalCommand.Create(context, endpoint));
        return command;
    }

    private static Option<double> PollInterval() =>
        new("--poll-interval") { Description = "Seconds between two polls of the job while following it.", DefaultValueFactory = _ => 2 };

    private static Command CreateCommand(CliContext context, FineTuneEndpointOptions endpoint)
    {
        var file = new Option<string>("--file") { Description = "The training file: OpenAI chat-format JSONL, or intent JSONL ({\"text\",\"label\"} lines; Parley servers only). Checked locally before upload.", Required = true };
        var model = new Option<string>("--model") { Description = "The base model, e.g. all-MiniLM-L6-v2 on a Parley server or gpt-4o-mini-2024-07-18 on OpenAI.", Required = true };
        var validationFile = new Option<string?>("--validation-file") { Description = "A validation file in the same format, checked and uploaded too." };
        var suffix = new Option<string?>("--suffix") { Description = "Up to 64 characters added to the fine-tuned model's name." };
        var epochs = new Option<string>("--epochs") { Description = "Epochs: a whole number, or auto.", DefaultValueFactory = _ => "auto" };
        var batchSize = new Option<string>("--batch-size") { Description = "Batch size: a whole number, or auto.", DefaultValueFactory = _ => "auto" };
        var learningRate = new Option<string>("--lr-multiplier") { Description = "Learning-rate multiplier: a number greater than 0, or auto.", DefaultValueFactory = _ => "auto" };
        var seed = new Option<int?>("--seed") { Description = "The seed of the job, for reproducible training (default: the server picks one)." };
        var wait = new Option<bool>("--wait") { Description = "Follow the job's events until it ends; then print the fine-tuned model (exit 3 if it failed or was cancelled)." };
        var poll = PollInterval();

        var command = new Command("create", "Check the file locally and the base model on the endpoint, upload the file (purpose fine-tune) and create a fine-tuning job; prints the job id.");
        foreach (var option in new Option[] { file, model, validationFile, suffix, epochs, batchSize, learningRate, seed, wait, poll })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var epochCount = WholeOrAuto(result.GetValue(epochs)!, "--epochs");
            var batch = WholeOrAuto(result.GetValue(batchSize)!, "--batch-size");
            var learningRateMultiplier = PositiveOrAuto(result.GetValue(learningRate)!, "--lr-multiplier");
            if (result.GetValue(suffix) is { Length: > 64 } longSuffix)
            {
                throw new CliException($"--suffix may have at most 64 characters; '{longSuffix}' has {longSuffix.Length}", exitCode: ExitCodes.Usage);
            }

            var baseModel = result.GetValue(model)!;
            var trainingPath = Path.GetFullPath(result.GetValue(file)!, context.CurrentDirectory);
            var validationPath = result.GetValue(validationFile) is { } v ? Path.GetFullPath(v, context.CurrentDirectory) : null;
            await FineTuneFileCheck.CheckAsync(context, trainingPath, "--file", baseModel, cancellationToken).ConfigureAwait(false);
            if (validationPath is not null)
            {
                await FineTuneFileCheck.CheckAsync(context, validationPath, "--validation-file", baseModel, cancellationToken).ConfigureAwait(false);
            }

            var client = endpoint.CreateClient(result, context, result.GetValue(poll));
            var (settings, _) = endpoint.Resolve(result, context);
            await FineTuneBaseModelCheck.CheckAsync(context, client.BaseUrl, string.IsNullOrWhiteSpace(settings.OpenAI.ApiKey) ? null : settings.OpenAI.ApiKey,
                TimeSpan.FromSeconds(settings.OpenAI.TimeoutSeconds), baseModel, cancellationToken).ConfigureAwait(false);
            var json = result.GetValue(endpoint.Json);
            var job = await CallAsync(async () =>
            {
                var training = await client.UploadFileAsync(trainingPath, cancellationToken).ConfigureAwait(false);
                await context.Error.WriteLineAsync($"Uploaded {Path.GetFileName(trainingPath)} as {training.Id}{Bytes(training)} to {client.BaseUrl}").ConfigureAwait(false);
                FineTuningFileInfo? validation = null;
                if (validationPath is not null)
                {
                    validation = await client.UploadFileAsync(validationPath, cancellationToken).ConfigureAwait(false);
                    await context.Error.WriteLineAsync($"Uploaded {Path.GetFileName(validationPath)} as {validation.Id}{Bytes(validation)}").ConfigureAwait(false);
                }

                return await client.CreateJobAsync(new FineTuningJobRequest
                {
                    TrainingFileId = training.Id,
                    ValidationFileId = validation?.Id,
                    Model = baseModel,
                    Suffix = result.GetValue(suffix),
                    Epochs = epochCount,
                    BatchSize = batch,
                    LearningRateMultiplier = learningRateMultiplier,
                    Seed = result.GetValue(seed),
                }, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);

            await context.Error.WriteLineAsync($"Created fine-tuning job {job.Id} ({job.Model ?? baseModel}, {job.Status})").ConfigureAwait(false);
            if (!result.GetValue(wait))
            {
                await context.Out.WriteLineAsync(json ? job.ToJson().ToJsonString(FineTuneJson.Options) : job.Id).ConfigureAwait(false);
                if (!json)
                {
                    await context.Error.WriteLineAsync($"Follow it with 'parley finetune events {job.Id} --follow'").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            if (!json)
            {
                await context.Out.WriteLineAsync(job.Id).ConfigureAwait(false);
            }

            return await FineTuneFollow.RunAsync(context, client, job.Id, json ? FineTuneFollow.Output.FinalJob : FineTuneFollow.Output.FineTunedModel, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command StatusCommand(CliContext context, FineTuneEndpointOptions endpoint)
    {
        var id = new Argument<string>("job") { Description = "The job id, e.g. ftjob-abc123." };
        var command = new Command("status", "Show a fine-tuning job: status, models, files, hyperparameters, error.");
        command.Arguments.Add(id);
        command.SetAction(async (result, cancellationToken) =>
        {
            var client = endpoint.CreateClient(result, context);
            var job = await CallAsync(() => client.GetJobAsync(result.GetValue(id)!, cancellationToken)).ConfigureAwait(false);
            if (result.GetValue(endpoint.Json))
            {
                await context.Out.WriteLineAsync(job.ToJson().ToJsonString(FineTuneJson.Options)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            static string Value(System.Text.Json.Nodes.JsonNode? node) => node?.ToJsonString().Trim('"') ?? "auto";
            var lines = new List<string>
            {
                $"{job.Id}  {job.Status}",
                $"model: {job.Model ?? "?"}{(job.FineTunedModel is { } tuned ? $" → {tuned}" : string.Empty)}",
                $"created: {Time(job.CreatedAt)}  finished: {Time(job.FinishedAt)}",
                $"training file: {job.TrainingFile ?? "?"}  validation file: {job.ValidationFile ?? "none"}",
                $"hyperparameters: epochs {Value(job.Epochs)}, batch size {Value(job.BatchSize)}, learning-rate multiplier {Value(job.LearningRateMultiplier)}",
            };
            if (job.TrainedTokens is { } tokens)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"trained tokens: {tokens:N0}"));
            }

            if (job.Error is { } error)
            {
                lines.Add($"error: {error.Message}{(error.Code is { } code ? $" ({code})" : string.Empty)}");
            }

            foreach (var line in lines)
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command EventsCommand(CliContext context, FineTuneEndpointOptions endpoint)
    {
        var id = new Argument<string>("job") { Description = "The job id." };
        var follow = new Option<bool>("--follow") { Description = "Keep printing new events until the job ends (exit 3 if it failed or was cancelled)." };
        var limit = new Option<int?>("--limit") { Description = $"At most this many events, the newest (default: the whole log up to {WholeLogLimit:N0} events as text, the server's page of 20 with --json); ignored with --follow." };
        var after = new Option<string?>("--after") { Description = "Events older than this event id (the next page); ignored with --follow." };
        var poll = PollInterval();
        var command = new Command("events", "Show a fine-tuning job's events (its whole log, oldest first, as text; a newest-first page with --json or --limit).");
        command.Arguments.Add(id);
        command.Options.Add(follow);
        command.Options.Add(limit);
        command.Options.Add(after);
        command.Options.Add(poll);
        command.SetAction(async (result, cancellationToken) =>
        {
            RequirePositive(result.GetValue(limit), "--limit");
            var client = endpoint.CreateClient(result, context, result.GetValue(poll));
            var jobId = result.GetValue(id)!;
            var json = result.GetValue(endpoint.Json);
            if (result.GetValue(follow))
            {
                return await FineTuneFollow.RunAsync(context, client, jobId, json ? FineTuneFollow.Output.EventsJson : FineTuneFollow.Output.EventsText, cancellationToken).ConfigureAwait(false);
            }

            if (!json && result.GetValue(limit) is null && result.GetValue(after) is null)
            {
                return await WholeLogAsync(context, client, jobId, cancellationToken).ConfigureAwait(false);
            }

            var page = await CallAsync(() => client.ListEventsAsync(jobId, result.GetValue(after), result.GetValue(limit), cancellationToken)).ConfigureAwait(false);
            if (json)
            {
                await context.Out.WriteLineAsync(page.ToJson(e => e.ToJson()).ToJsonString(FineTuneJson.Options)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var item in page.Data.Reverse())
            {
                await context.Out.WriteLineAsync(FineTuneProgressWriter.EventLine(item)).ConfigureAwait(false);
            }

            if (page.HasMore && page.Data.Count > 0)
            {
                await context.Error.WriteLineAsync($"Older events: parley finetune events {jobId} --after {page.Data[^1].Id}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The most events <c>finetune events</c> prints as the whole log.</summary>
    private const int WholeLogLimit = 2000;

    /// <summary>Prints a job's log oldest first, paging back through the newest-first list (100 events a page).</summary>
    private static async Task<int> WholeLogAsync(CliContext context, FineTuningJobClient client, string jobId, CancellationToken cancellationToken)
    {
        var events = new List<FineTuningEventInfo>();
        string? after = null;
        while (true)
        {
            var page = await CallAsync(() => client.ListEventsAsync(jobId, after, 100, cancellationToken)).ConfigureAwait(false);
            events.AddRange(page.Data);
            if (!page.HasMore || page.Data.Count == 0)
            {
                break;
            }

            after = page.Data[^1].Id;
            if (events.Count >= WholeLogLimit)
            {
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"The newest {events.Count:N0} events; older ones: parley finetune events {jobId} --after {after}")).ConfigureAwait(false);
                break;
            }
        }

        for (var i = events.Count - 1; i >= 0; i--)
        {
            await context.Out.WriteLineAsync(FineTuneProgressWriter.EventLine(events[i])).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static Command CancelCommand(CliContext context, FineTuneEndpointOptions endpoint)
    {
        var id = new Argument<string>("job") { Description = "The job id." };
        var command = new Command("cancel", "Cancel a fine-tuning job that has not finished.");
        command.Arguments.Add(id);
        command.SetAction(async (result, cancellationToken) =>
        {
            var client = endpoint.CreateClient(result, context);
            var job = await CallAsync(() => client.CancelJobAsync(result.GetValue(id)!, cancellationToken)).ConfigureAwait(false);
            await context.Out.WriteLineAsync(result.GetValue(endpoint.Json) ? job.ToJson().ToJsonString(FineTuneJson.Options) : $"{job.Id}  {job.Status}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(CliContext context, FineTuneEndpointOptions endpoint)
    {
        var limit = new Option<int?>("--limit") { Description = "At most this many jobs, the newest (default: the server's, 20 on OpenAI)." };
        var after = new Option<string?>("--after") { Description = "Jobs older than this job id (the next page)." };
        var command = new Command("list", "List fine-tuning jobs, newest first.");
        command.Options.Add(limit);
        command.Options.Add(after);
        command.SetAction(async (result, cancellationToken) =>
        {
            RequirePositive(result.GetValue(limit), "--limit");
            var client = endpoint.CreateClient(result, context);
            var page = await CallAsync(() => client.ListJobsAsync(result.GetValue(after), result.GetValue(limit), cancellationToken)).ConfigureAwait(false);
            if (result.GetValue(endpoint.Json))
            {
                await context.Out.WriteLineAsync(page.ToJson(j => j.ToJson()).ToJsonString(FineTuneJson.Options)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var job in page.Data)
            {
                await context.Out.WriteLineAsync($"{job.Id}  {job.Status,-16}  {Time(job.CreatedAt)}  {job.Model ?? "?"}{(job.FineTunedModel is { } tuned ? $" → {tuned}" : string.Empty)}").ConfigureAwait(false);
            }

            if (page.Data.Count == 0)
            {
                await context.Error.WriteLineAsync($"No fine-tuning jobs at {client.BaseUrl}").ConfigureAwait(false);
            }
            else if (page.HasMore)
            {
                await context.Error.WriteLineAsync($"More: parley finetune list --after {page.Data[^1].Id}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs a client call, turning its expected failures into a <see cref="CliException"/> (exit 3).</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (FineTuningException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    private static int? WholeOrAuto(string value, string option) =>
        value.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number
        : throw new CliException($"{option} must be a whole number of at least 1, or auto; got '{value}'", exitCode: ExitCodes.Usage);

    private static double? PositiveOrAuto(string value, string option) =>
        value.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number > 0 ? number
        : throw new CliException($"{option} must be a number greater than 0, or auto; got '{value}'", exitCode: ExitCodes.Usage);

    private static void RequirePositive(int? value, string option)
    {
        if (value is < 1)
        {
            throw new CliException($"{option} must be at least 1", exitCode: ExitCodes.Usage);
        }
    }

    private static string Bytes(FineTuningFileInfo file) =>
        file.Bytes is { } bytes ? string.Create(CultureInfo.InvariantCulture, $" ({bytes:N0} bytes)") : string.Empty;

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";
}
