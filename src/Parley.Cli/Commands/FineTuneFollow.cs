using Parley.Cli.Rendering;
using Parley.OpenAI.FineTuning;

namespace Parley.Cli.Commands;

/// <summary>
/// Follows a fine-tuning job for <c>parley finetune create --wait</c> and <c>events --follow</c>: prints its progress
/// until it ends, and turns the outcome into an exit code.
/// </summary>
internal static class FineTuneFollow
{
    /// <summary>What is printed where while following.</summary>
    public enum Output
    {
        /// <summary>Progress to standard error, then the fine-tuned model to standard output.</summary>
        FineTunedModel,

        /// <summary>Progress to standard error, then the final job as JSON to standard output.</summary>
        FinalJob,

        /// <summary>Events and status changes as text to standard output.</summary>
        EventsText,

        /// <summary>Each event as one JSON line to standard output.</summary>
        EventsJson,
    }

    /// <summary>Follows a job until it ends; Ctrl+C stops following (the job goes on). Exit 3 when it failed or was cancelled.</summary>
    public static async Task<int> RunAsync(CliContext context, FineTuningJobClient client, string jobId, Output output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = context.OnInterrupt?.Invoke(stop.Cancel);
        FineTuningJobInfo? last = null;
        try
        {
            await foreach (var progress in FollowReportingFailuresAsync(client, jobId, stop.Token).ConfigureAwait(false))
            {
                last = progress.Job;
                if (output == Output.EventsJson)
                {
                    foreach (var item in progress.NewEvents)
                    {
                        await context.Out.WriteLineAsync(item.ToJson().ToJsonString(FineTuneJson.Options)).ConfigureAwait(false);
                    }
                }
                else if (output == Output.EventsText)
                {
                    await FineTuneProgressWriter.WriteAsync(context.Out, progress, TimeProvider.System).ConfigureAwait(false);
                }
                else
                {
                    await FineTuneProgressWriter.WriteAsync(context.Status, progress, TimeProvider.System).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            context.Status.End();
            await context.Error.WriteLineAsync($"Stopped following; the job goes on. See it with 'parley finetune status {jobId}'").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }

        context.Status.End();
        var job = last ?? throw new CliException($"the endpoint stopped reporting job {jobId}");
        if (output == Output.FinalJob)
        {
            await context.Out.WriteLineAsync(job.ToJson().ToJsonString(FineTuneJson.Options)).ConfigureAwait(false);
        }

        switch (job.Status)
        {
            case FineTuningJobStatuses.Succeeded:
                if (output == Output.FineTunedModel)
                {
                    await context.Out.WriteLineAsync(job.FineTunedModel ?? string.Empty).ConfigureAwait(false);
                    await context.Error.WriteLineAsync($"Chat with it: parley chat --bot none --base-url {client.BaseUrl} --model {job.FineTunedModel}").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            case FineTuningJobStatuses.Failed:
                await context.Error.WriteLineAsync($"parley: fine-tuning job {job.Id} failed: {job.Error?.Message ?? "the server gave no reason"}").ConfigureAwait(false);
                return ExitCodes.Failure;
            default:
                await context.Error.WriteLineAsync($"parley: fine-tuning job {job.Id} was {job.Status}").ConfigureAwait(false);
                return ExitCodes.Failure;
        }
    }

    private static async IAsyncEnumerable<FineTuningProgress> FollowReportingFailuresAsync(FineTuningJobClient client, string jobId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var progress = client.FollowAsync(jobId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await progress.MoveNextAsync().ConfigureAwait(false);
                }
                catch (FineTuningException e)
                {
                    throw new CliException(e.Message, e);
                }

                if (!more)
                {
                    yield break;
                }

                yield return progress.Current;
            }
        }
        finally
        {
            await progress.DisposeAsync().ConfigureAwait(false);
        }
    }
}
