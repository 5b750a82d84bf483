using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Parley.Bots;
using Parley.Bots.Knowledge;
using Parley.Retrieval.Knowledge;
using Parley.Server.Errors;
using Parley.Server.Hosting;

namespace Parley.Server.Knowledge;

/// <summary>
/// Maps <c>GET /api/bots/{bot}/passages?id=ID</c>: the text a citation points at. A passage id
/// (<c>file#section</c>) gives that passage; a document path (a template's source) gives the whole document.
/// </summary>
public static class PassageEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapPassageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/bots/{bot}/passages", GetAsync);
        return app;
    }

    private static async Task<Ok<PassageText>> GetAsync(string bot, string? id, BotRegistry registry, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw ApiException.Invalid("id", "'id' must name a passage (file#section) or a document");
        }

        var bots = await registry.GetBotsAsync(cancellationToken).ConfigureAwait(false);
        if (!bots.TryGetValue(bot, out var served))
        {
            throw new ApiException(404, $"no bot '{bot}'", "bot", "model_not_found");
        }

        var passages = Passages(served);
        if (passages.FirstOrDefault(p => p.Id == id) is { } passage)
        {
            return TypedResults.Ok(new PassageText(passage.Id, passage.Title, passage.Heading, passage.Source, passage.Text));
        }

        var document = passages.Where(p => p.Source == id).OrderBy(p => p.Start).ToArray();
        if (document.Length == 0)
        {
            throw new ApiException(404, $"the bot '{bot}' has no passage or document '{id}'", "id", "passage_not_found");
        }

        return TypedResults.Ok(new PassageText(id, document[0].Title, "", id, string.Join("\n\n", document.Select(p => p.Text))));
    }

    private static IReadOnlyList<KnowledgePassage> Passages(Bot bot) => bot.Knowledge switch
    {
        DenseKnowledgeIndex dense => dense.Passages,
        HybridKnowledgeSearch hybrid => hybrid.Dense.Passages,
        LexicalKnowledgeSearch lexical => lexical.Index.Passages,
        Bm25KnowledgeIndex bm25 => bm25.Passages,
        _ => [],
    };
}
