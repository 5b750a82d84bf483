using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Parley.Nlu.Embeddings;
using Parley.Server.Errors;
using Parley.Server.FineTuning;
using Parley.Server.Hosting;
using Parley.Server.Security;

namespace Parley.Server.Models;

/// <summary>Maps <c>GET /v1/models</c>, <c>GET /v1/models/{id}</c> (the bots, the sentence encoder, the upstream model and the fine-tuned models) and <c>DELETE /v1/models/{id}</c> for fine-tuned models.</summary>
public static class ModelEndpoints
{
    /// <summary>Who owns the served models.</summary>
    public const string Owner = "parley";

    /// <summary>Who owns the upstream model, as listed.</summary>
    public const string UpstreamOwner = "upstream";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models", ListAsync);
        app.MapGet("/models/{id}", GetAsync);
        app.MapDelete("/models/{id}", DeleteAsync);
        return app;
    }

    private static async Task<Ok<ModelList>> ListAsync(HttpContext context, BotRegistry registry, ParleyServerOptions options, FineTunedModels fineTuned, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ModelList([
            .. await AllAsync(registry, options, cancellationToken).ConfigureAwait(false),
            .. await fineTuned.ListAsync(ApiCaller.Of(context), cancellationToken).ConfigureAwait(false)]));

    private static async Task<Ok<ModelInfo>> GetAsync(string id, HttpContext context, BotRegistry registry, ParleyServerOptions options, FineTunedModels fineTuned, CancellationToken cancellationToken)
    {
        if (await fineTuned.FindJobAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) is { } job)
        {
            return TypedResults.Ok(new ModelInfo(id, job.FinishedAt ?? job.CreatedAt, Owner));
        }

        var models = await AllAsync(registry, options, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(models.FirstOrDefault(m => m.Id == id) ?? throw UnknownModel(id));
    }

    private static async Task<Ok<DeletedObject>> DeleteAsync(string id, HttpContext context, FineTunedModels fineTuned, CancellationToken cancellationToken) =>
        await fineTuned.DeleteAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false)
            ? TypedResults.Ok(new DeletedObject(id, "model"))
            : throw (id.StartsWith(FineTunedModels.Prefix, StringComparison.Ordinal)
                ? UnknownModel(id)
                : new ApiException(400, $"The model '{id}' cannot be deleted: only fine-tuned models (ft:…) can.", "model", "model_not_deletable"));

    /// <summary>The 404 for a model id that is not served.</summary>
    internal static ApiException UnknownModel(string id) =>
        new(404, $"The model '{id}' does not exist; GET /v1/models lists the served models.", "model", "model_not_found");

    private static async Task<IReadOnlyList<ModelInfo>> AllAsync(BotRegistry registry, ParleyServerOptions options, CancellationToken cancellationToken)
    {
        var bots = await registry.GetBotsAsync(cancellationToken).ConfigureAwait(false);
        var created = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        List<ModelInfo> models = [.. bots.Keys.Order(StringComparer.Ordinal).Select(id => new ModelInfo(id, created, Owner)), new ModelInfo(MiniLmEmbeddingGenerator.ModelId, created, Owner)];
        if (options.UpstreamModel is { } upstream && !bots.ContainsKey(upstream))
        {
            models.Add(new ModelInfo(upstream, created, UpstreamOwner));
        }

        return models;
    }
}
