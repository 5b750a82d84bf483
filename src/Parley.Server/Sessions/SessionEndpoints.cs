using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Parley.Server.Errors;
using Parley.Server.Hosting;

namespace Parley.Server.Sessions;

/// <summary>Maps <c>GET /api/sessions</c>, <c>GET /api/sessions/{id}</c> and <c>DELETE /api/sessions/{id}</c>.</summary>
public static class SessionEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sessions");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return app;
    }

    private static async Task<Ok<SessionList>> ListAsync(BotRegistry registry, string? bot, CancellationToken cancellationToken)
    {
        var sessions = await registry.Store.ListAsync(bot, cancellationToken: cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SessionList([.. sessions.Select(s => new SessionSummary(s.Id, s.Bot, s.Created, s.Updated, s.MessageCount))]));
    }

    private static async Task<Ok<SessionDetail>> GetAsync(string id, BotRegistry registry, CancellationToken cancellationToken)
    {
        var conversation = await registry.Store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        return TypedResults.Ok(new SessionDetail(
            conversation.Id,
            conversation.Bot,
            conversation.Created,
            [.. conversation.Messages.Select(m => new SessionMessage(m.Message.Role.Value, m.Message.Text, m.Timestamp, m.Incomplete ? true : null))]));
    }

    private static async Task<NoContent> DeleteAsync(string id, BotRegistry registry, CancellationToken cancellationToken) =>
        await registry.Store.DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : throw NotFound(id);

    private static ApiException NotFound(string id) => new(404, $"no session '{id}'", "id", "session_not_found");
}
