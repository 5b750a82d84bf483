using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Parley.OpenAI.FineTuning;
using Parley.Server.Errors;
using Parley.Server.Hosting;
using Parley.Server.Security;

namespace Parley.Server.FineTuning;

/// <summary>Maps OpenAI's <c>/v1/fine_tuning/jobs</c>: create, list, retrieve, cancel, events and checkpoints.</summary>
internal static class FineTuningJobEndpoints
{
    public static IEndpointRouteBuilder MapFineTuningJobEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/fine_tuning/jobs", CreateAsync);
        app.MapGet("/fine_tuning/jobs", ListAsync);
        app.MapGet("/fine_tuning/jobs/{id}", GetAsync);
        app.MapPost("/fine_tuning/jobs/{id}/cancel", CancelAsync);
        app.MapGet("/fine_tuning/jobs/{id}/events", EventsAsync);
        app.MapGet("/fine_tuning/jobs/{id}/checkpoints", CheckpointsAsync);
        return app;
    }

    private static async Task<Ok<FineTuningJobObject>> CreateAsync(
        HttpContext context, FineTuningStore store, FineTuningQueue queue, FineTuningJobRunner runner, ParleyServerOptions options, CancellationToken cancellationToken)
    {
        var caller = ApiCaller.Of(context);
        var body = await RequestBody.ReadObjectAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        var job = await FineTuningRequest.ParseAsync(body, store, caller, runner.CanFineTuneEncoder, cancellationToken).ConfigureAwait(false);
        await store.CreateJobAsync(job, caller.Owner, cancellationToken).ConfigureAwait(false);
        await store.AddEventAsync(job.Id, "info", $"Created fine-tuning job: {job.Id}", cancellationToken: CancellationToken.None).ConfigureAwait(false);
        queue.Notify();
        return TypedResults.Ok(job);
    }

    private static async Task<Ok<ListObject<FineTuningJobObject>>> ListAsync(HttpContext context, FineTuningStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(Paging.Page(await store.ListJobsAsync(ApiCaller.Of(context), cancellationToken).ConfigureAwait(false), j => j.Id, context.Request.Query, defaultLimit: 20, maxLimit: 100));

    private static async Task<Ok<FineTuningJobObject>> GetAsync(string id, HttpContext context, FineTuningStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.GetJobAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id));

    private static async Task<Ok<FineTuningJobObject>> CancelAsync(string id, HttpContext context, FineTuningQueue queue, CancellationToken cancellationToken)
    {
        var job = await queue.CancelAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        if (job.Status is FineTuningJobStatuses.Succeeded or FineTuningJobStatuses.Failed)
        {
            throw new ApiException(400, $"The job {id} has already {job.Status}: only jobs that are validating files, queued or running can be cancelled.", "fine_tuning_job_id", "job_not_cancellable");
        }

        return TypedResults.Ok(job);
    }

    private static async Task<Ok<ListObject<FineTuningEventObject>>> EventsAsync(string id, HttpContext context, FineTuningStore store, CancellationToken cancellationToken)
    {
        _ = await store.GetJobAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        var events = await store.ListEventsAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Paging.Page(events, e => e.Id, context.Request.Query, defaultLimit: 20, maxLimit: 1000));
    }

    private static async Task<Ok<ListObject<FineTuningCheckpointObject>>> CheckpointsAsync(string id, HttpContext context, FineTuningStore store, CancellationToken cancellationToken)
    {
        _ = await store.GetJobAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        var checkpoints = await store.ListCheckpointsAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Paging.Page(checkpoints, c => c.Id, context.Request.Query, defaultLimit: 10, maxLimit: 100));
    }

    private static ApiException NotFound(string id) => new(404, $"No fine-tuning job '{id}' exists; GET /v1/fine_tuning/jobs lists them.", "fine_tuning_job_id", "fine_tuning_job_not_found");
}
