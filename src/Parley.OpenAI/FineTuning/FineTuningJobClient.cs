using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using OpenAI;
using OpenAI.Files;
using OpenAI.FineTuning;
using Parley.Core.Resilience;

namespace Parley.OpenAI.FineTuning;

// The SDK's fine-tuning API is marked for evaluation (OPENAI001); a change to it breaks the build, not behaviour.
#pragma warning disable OPENAI001

/// <summary>
/// Uploads fine-tuning files and creates, follows, lists and cancels fine-tuning jobs on an OpenAI-compatible endpoint
/// (a Parley server or api.openai.com), through the official OpenAI SDK.
/// </summary>
/// <remarks>
/// Uploads go through <see cref="OpenAIFileClient"/> (multipart, purpose <c>fine-tune</c>) and job creation through
/// the typed <see cref="FineTuningClient.FineTuneAsync(string, string, bool, FineTuningOptions, CancellationToken)"/>.
/// The SDK's typed job has no <c>fine_tuned_model</c>, <c>error</c> or timestamps, so every answer is read from the raw
/// response JSON, and lists are read one raw page at a time (jobs through the typed collection, events and cancel through
/// the job's protocol-level methods: 2.15 has no public protocol-level job list). The SDK's own retries are off:
/// each request goes through a <see cref="RetryPipeline"/> (Polly), within <see cref="FineTuningJobClientOptions.Deadline"/>;
/// requests that create something are retried only when they certainly did not reach the server, or on 429.
/// </remarks>
public sealed class FineTuningJobClient
{
    private const int EventPageSize = 50;
    private const int MaxEventPages = 20;

    private readonly FineTuningJobClientOptions _options;
    private readonly RetryPipeline _reads;
    private readonly RetryPipeline _writes;
    private readonly OpenAIFileClient _files;
    private readonly FineTuningClient _jobs;

    /// <summary>Creates the client.</summary>
    /// <param name="options">The endpoint, retries and polling; validated here.</param>
    /// <param name="httpClient">The HTTP client to send with; <see langword="null"/> for the SDK's shared one. Not disposed.</param>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public FineTuningJobClient(FineTuningJobClientOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _reads = new RetryPipeline(FineTuningFailures.RetryOptions(options, idempotent: true));
        _writes = new RetryPipeline(FineTuningFailures.RetryOptions(options, idempotent: false));
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.BaseUrl,
            NetworkTimeout = options.AttemptTimeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (httpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }

        var client = options.ApiKey is { } key
            ? new OpenAIClient(new ApiKeyCredential(key), clientOptions)
            : new OpenAIClient(NoAuthenticationPolicy.Instance, clientOptions);
        _files = client.GetOpenAIFileClient();
        _jobs = client.GetFineTuningClient();
    }

    /// <summary>The endpoint's base URL.</summary>
    public Uri BaseUrl => _options.BaseUrl;

    /// <summary>Uploads <paramref name="path"/> with purpose <c>fine-tune</c>.</summary>
    /// <exception cref="FineTuningException">The file cannot be read, or the endpoint is unreachable or refused it.</exception>
    public async Task<FineTuningFileInfo> UploadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FineTuningException($"cannot read {path}: {e.Message}", innerException: e);
        }

        var name = Path.GetFileName(path);
        return await RunAsync($"uploading {name}", idempotent: false, async token =>
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var result = await _files.UploadFileAsync(stream, name, FileUploadPurpose.FineTune, token).ConfigureAwait(false);
            return FineTuningWire.File(FineTuningWire.Parse(result.GetRawResponse().Content, "upload"));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a supervised fine-tuning job.</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    /// <exception cref="FineTuningException">The endpoint is unreachable or refused the job.</exception>
    public Task<FineTuningJobInfo> CreateJobAsync(FineTuningJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var options = new FineTuningOptions { Suffix = request.Suffix, ValidationFile = request.ValidationFileId, Seed = request.Seed };
        if (request.Epochs is not null || request.BatchSize is not null || request.LearningRateMultiplier is not null)
        {
            options.TrainingMethod = FineTuningTrainingMethod.CreateSupervised(
                request.BatchSize is { } batch ? HyperparameterBatchSize.CreateSize(batch) : HyperparameterBatchSize.CreateAuto(),
                request.Epochs is { } epochs ? HyperparameterEpochCount.CreateEpochCount(epochs) : HyperparameterEpochCount.CreateAuto(),
                request.LearningRateMultiplier is { } lr ? HyperparameterLearningRate.CreateMultiplier(lr) : HyperparameterLearningRate.CreateAuto());
        }

        return RunAsync("creating the fine-tuning job", idempotent: false, async token =>
        {
            var job = await _jobs.FineTuneAsync(request.Model, request.TrainingFileId, waitUntilCompleted: false, options, token).ConfigureAwait(false);
            return FineTuningWire.Job(FineTuningWire.Parse(job.GetRawResponse().Content, "create"));
        }, cancellationToken);
    }

    /// <summary>Reads a job.</summary>
    /// <exception cref="FineTuningException">The endpoint is unreachable, or has no such job.</exception>
    public async Task<FineTuningJobInfo> GetJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        (await GetSdkJobAsync(jobId, cancellationToken).ConfigureAwait(false)).Info;

    /// <summary>Lists jobs, newest first: one page of at most <paramref name="limit"/> after job <paramref name="after"/>.</summary>
    /// <exception cref="FineTuningException">The endpoint is unreachable or refused the request.</exception>
    public Task<FineTuningPage<FineTuningJobInfo>> ListJobsAsync(string? after = null, int? limit = null, CancellationToken cancellationToken = default) =>
        RunAsync("listing fine-tuning jobs", idempotent: true, async token =>
        {
            var pages = _jobs.GetJobsAsync(new FineTuningJobCollectionOptions { AfterJobId = after, PageSize = limit }, token);
            var page = await FirstPageAsync(pages.GetRawPagesAsync(), token).ConfigureAwait(false);
            return FineTuningWire.Page(FineTuningWire.Parse(page.GetRawResponse().Content, "list"), FineTuningWire.Job);
        }, cancellationToken);

    /// <summary>Lists a job's events, newest first: one page of at most <paramref name="limit"/> after event <paramref name="after"/>.</summary>
    /// <exception cref="FineTuningException">The endpoint is unreachable, or has no such job.</exception>
    public async Task<FineTuningPage<FineTuningEventInfo>> ListEventsAsync(string jobId, string? after = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var job = await GetSdkJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        return await ListEventsAsync(job.Sdk, after, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the endpoint to cancel a job, and returns the job as it answered.</summary>
    /// <exception cref="FineTuningException">The endpoint is unreachable, has no such job, or refused (e.g. the job has finished).</exception>
    public async Task<FineTuningJobInfo> CancelJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = await GetSdkJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        return await RunAsync($"cancelling {jobId}", idempotent: false, async token =>
        {
            var result = await job.Sdk.CancelAsync(new RequestOptions { CancellationToken = token }).ConfigureAwait(false);
            return FineTuningWire.Job(FineTuningWire.Parse(result.GetRawResponse().Content, "cancel"));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Polls a job every <see cref="FineTuningJobClientOptions.PollInterval"/> and reports its new events and status
    /// changes, until it is succeeded, failed or cancelled (the last item is that state).
    /// </summary>
    /// <param name="jobId">The job to follow.</param>
    /// <param name="cancellationToken">Stops following (the job goes on).</param>
    /// <exception cref="FineTuningException">The endpoint became unreachable (beyond the retries) or lost the job.</exception>
    public async IAsyncEnumerable<FineTuningProgress> FollowAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? status = null;
        while (true)
        {
            // The job first, then its events: once the job is terminal, the events read after it are complete.
            var job = await GetSdkJobAsync(jobId, cancellationToken).ConfigureAwait(false);
            var fresh = await NewEventsAsync(job.Sdk, seen, cancellationToken).ConfigureAwait(false);
            var changed = job.Info.Status != status;
            status = job.Info.Status;
            if (changed || fresh.Count > 0 || job.Info.IsTerminal)
            {
                yield return new FineTuningProgress(job.Info, fresh, changed);
            }

            if (job.Info.IsTerminal)
            {
                yield break;
            }

            await Task.Delay(_options.PollInterval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<(FineTuningJob Sdk, FineTuningJobInfo Info)> GetSdkJobAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return RunAsync($"reading job {jobId}", idempotent: true, async token =>
        {
            var job = await _jobs.GetJobAsync(jobId, token).ConfigureAwait(false);
            return (job, FineTuningWire.Job(FineTuningWire.Parse(job.GetRawResponse().Content, "job")));
        }, cancellationToken);
    }

    private Task<FineTuningPage<FineTuningEventInfo>> ListEventsAsync(FineTuningJob job, string? after, int? limit, CancellationToken cancellationToken) =>
        RunAsync($"reading the events of {job.JobId}", idempotent: true, async token =>
        {
            var pages = job.GetEventsAsync(after, limit, new RequestOptions { CancellationToken = token });
            var page = await FirstPageAsync(pages.GetRawPagesAsync(), token).ConfigureAwait(false);
            return FineTuningWire.Page(FineTuningWire.Parse(page.GetRawResponse().Content, "events"), FineTuningWire.Event);
        }, cancellationToken);

    /// <summary>The events not in <paramref name="seen"/>, oldest first, paging back until a known one (or the start).</summary>
    private async Task<List<FineTuningEventInfo>> NewEventsAsync(FineTuningJob job, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var fresh = new List<FineTuningEventInfo>();
        string? after = null;
        for (var page = 0; page < MaxEventPages; page++)
        {
            var events = await ListEventsAsync(job, after, EventPageSize, cancellationToken).ConfigureAwait(false);
            var reachedKnown = false;
            foreach (var item in events.Data)
            {
                if (seen.Contains(item.Id))
                {
                    reachedKnown = true;
                    break;
                }

                fresh.Add(item);
            }

            if (reachedKnown || !events.HasMore || events.Data.Count == 0)
            {
                break;
            }

            after = events.Data[^1].Id;
        }

        foreach (var item in fresh)
        {
            seen.Add(item.Id);
        }

        fresh.Reverse();
        return fresh;
    }

    private async Task<T> RunAsync<T>(string what, bool idempotent, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await (idempotent ? _reads : _writes).ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (UpstreamException e)
        {
            throw FineTuningFailures.ToException(e, what, _options.BaseUrl);
        }
    }

    private static async Task<ClientResult> FirstPageAsync(IAsyncEnumerable<ClientResult> pages, CancellationToken cancellationToken)
    {
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            return page;
        }

        throw new FineTuningException("the endpoint returned no page for a list request");
    }
}
