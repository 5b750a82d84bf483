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

    /// <summary>
    /// The most work one request may ask for: the sum over its inputs of their tokens (cl100k_base, as usage counts
    /// them), each input counted up to <see cref="TokensPerInputCounted"/>. About 32 k tokens is a few seconds of the
    /// in-process encoder on one core.
    /// </summary>
    public const int MaxTokensPerRequest = 32_768;

    /// <summary>How many tokens of one input count toward <see cref="MaxTokensPerRequest"/>: the encoder cuts longer inputs at 256 word pieces.</summary>
    public const int TokensPerInputCounted = 256;

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
        if (body["dimensions"] is { } dimensions
            && !(dimensions is JsonValue d && d.TryGetValue(out int wanted) && wanted == MiniLmEmbeddingGenerator.Dimensions))
        {
            throw ApiException.Invalid("dimensions", $"'dimensions' is not supported: {MiniLmEmbeddingGenerator.ModelId} always returns {MiniLmEmbeddingGenerator.Dimensions} dimensions (leave the field out)");
        }

        var inputs = ParseInput(body["input"]);
        var counter = ChatTokenCounter.ForEncoding(ChatTokenCounter.Cl100kBase);
        var tokens = inputs.Select(counter.CountTokens).ToArray();
        var work = tokens.Sum(t => (long)Math.Min(t, TokensPerInputCounted));
        if (work > MaxTokensPerRequest)
        {
            throw new ApiException(
                400,
                $"'input' asks for too much work in one request: {work} tokens over {inputs.Length} inputs, more than the limit of {MaxTokensPerRequest} (each input counted up to {TokensPerInputCounted} tokens). Split it into several requests.",
                "input",
                "too_many_tokens");
        }

        // Clients' texts are encoded past the on-disk embedding cache: that cache is for the bots' and training corpora,
        // and persisting (and holding in memory) every text a client ever sends would grow without bound.
        var generator = registry.Embeddings.GetService<CachingEmbeddingGenerator>()?.Uncached ?? registry.Embeddings;
        var embeddings = await generator.GenerateAsync(inputs, cancellationToken: cancellationToken).ConfigureAwait(false);
        var data = embeddings.Select((e, i) => new EmbeddingItem(i, base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(e.Vector.Span)) : e.Vector.ToArray())).ToArray();
        return TypedResults.Ok(new EmbeddingList(data, model, new EmbeddingUsage(tokens.Sum())));
    }

    private static string[] ParseInput(JsonNode? input) => input switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a when a.Count is > 0 and <= MaxInputs && a.All(s => s?.GetValueKind() == JsonValueKind.String) => [.. a.Select(s => (string)s!)],
        _ => throw ApiException.Invalid("input", $"'input' must be a string or an array of 1 to {MaxInputs} strings (token arrays are not supported)"),
    };
}
