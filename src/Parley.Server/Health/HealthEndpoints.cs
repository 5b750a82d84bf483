using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Parley.Server.Hosting;

namespace Parley.Server.Health;

/// <summary>Maps <c>/healthz</c> (the process answers) and <c>/readyz</c> (bots loaded, store reachable).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    private static async Task<Results<Ok<string>, ProblemHttpResult>> ReadyAsync(BotRegistry registry, CancellationToken cancellationToken)
    {
        if (!registry.IsReady)
        {
            return TypedResults.Problem("the bots are still loading", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            await registry.Store.ListAsync(limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Problem($"the conversation store is not reachable: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Ok("ready");
    }
}
