using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Parley.Core.History;
using Parley.Nlu.Embeddings;
using Parley.Server.Errors;
using Parley.Server.Hosting;
using Parley.Server.Models;
using Parley.Server.Telemetry;

namespace Parley.Server.Embeddings;

/// <summary>Maps <c>POST /v1/embeddings</c> for the in-process sentence encoder.</summary>
public static class EmbeddingEndpoints
{
    /// <summary>The most inputs one request may embed.</summary>
    public const int MaxInputs = 2048;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapEmbeddingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/embeddings", EmbedAsync);
        return app;
    }

    private static async Task<Ok<EmbeddingList>> EmbedAsync(HttpContext context, BotRegistry registry, ParleyServerOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        var model = JsonFields.String(body, "model");
        if (string.IsNullOrWhiteSpace(model))
        {
            throw ApiException.Invalid("model", $"'model' is required: '{MiniLmEmbeddingGenerator.ModelId}'");
        }

        RequestLogMiddleware.SetModel(context, model);

        if (model != MiniLmEmbeddingGenerator.ModelId)
        {
            throw ModelEndpoints.UnknownModel(model);
        }

        var base64 = JsonFields.String(body, "encoding_format") switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw ApiException.Invalid("encoding_format", "'encoding_format' must be 'float' or 'base64'"),
        };
        var inputs = ParseInput(body["input"]);
        // Clients' texts are encoded past the on-disk embedding cache: that cache is for the bots' and training corpora,
        // and persisting (and holding in memory) every text a client ever sends would grow without bound.
        var generator = registry.Embeddings.GetService<CachingEmbeddingGenerator>()?.Uncached ?? registry.Embeddings;
        var embeddings = await generator.GenerateAsync(inputs, cancellationToken: cancellationToken).ConfigureAwait(false);
        var data = embeddings.Select((e, i) => new EmbeddingItem(i, base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(e.Vector.Span)) : e.Vector.ToArray())).ToArray();
        var counter = ChatTokenCounter.ForEncoding(ChatTokenCounter.Cl100kBase);
        return TypedResults.Ok(new EmbeddingList(data, model, new EmbeddingUsage(inputs.Sum(counter.CountTokens))));
    }

    private static string[] ParseInput(JsonNode? input) => input switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a when a.Count is > 0 and <= MaxInputs && a.All(s => s?.GetValueKind() == JsonValueKind.String) => [.. a.Select(s => (string)s!)],
        _ => throw ApiException.Invalid("input", $"'input' must be a string or an array of 1 to {MaxInputs} strings (token arrays are not supported)"),
    };
}
