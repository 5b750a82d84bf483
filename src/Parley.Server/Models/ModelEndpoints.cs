using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Parley.Nlu.Embeddings;
using Parley.Server.Errors;
using Parley.Server.Hosting;

namespace Parley.Server.Models;

/// <summary>Maps <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the bots, the sentence encoder and the upstream model.</summary>
public static class ModelEndpoints
{
    /// <summary>Who owns the served models.</summary>
    public const string Owner = "parley";

    /// <summary>Who owns the upstream model, as listed.</summary>
    public const string UpstreamOwner = "upstream";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", ListAsync);
        app.MapGet("/v1/models/{id}", GetAsync);
        return app;
    }

    private static async Task<Ok<ModelList>> ListAsync(BotRegistry registry, ParleyServerOptions options, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ModelList(await AllAsync(registry, options, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<ModelInfo>> GetAsync(string id, BotRegistry registry, ParleyServerOptions options, CancellationToken cancellationToken)
    {
        var models = await AllAsync(registry, options, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(models.FirstOrDefault(m => m.Id == id) ?? throw UnknownModel(id));
    }

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
