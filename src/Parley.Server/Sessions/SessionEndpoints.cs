using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Server.Chat;
using Parley.Server.Errors;
using Parley.Server.Hosting;

namespace Parley.Server.Sessions;

/// <summary>Maps <c>GET /api/sessions</c> (paged with <c>limit</c> and <c>after</c>), <c>GET /api/sessions/{id}</c> and <c>DELETE /api/sessions/{id}</c>.</summary>
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

    /// <summary>The page size when the request names none.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    private static async Task<Ok<SessionList>> ListAsync(BotRegistry registry, string? bot, string? limit, string? after, CancellationToken cancellationToken)
    {
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxLimit))
        {
            throw ApiException.Invalid("limit", $"'limit' must be an integer from 1 to {MaxLimit}");
        }

        after = after is { Length: > 0 } ? SessionIds.Check(after, "after") : null;
        if (after is not null && await registry.Store.GetAsync(after, cancellationToken).ConfigureAwait(false) is null)
        {
            throw ApiException.Invalid("after", $"'after' names '{after}', which is not a session");
        }

        // One more than the page, to know whether another follows.
        var sessions = await registry.Store.ListPageAsync(bot, size + 1, after, cancellationToken).ConfigureAwait(false);
        var page = sessions.Take(size).Select(s => new SessionSummary(s.Id, s.Bot, s.Created, s.Updated, s.MessageCount, s.Preview)).ToArray();
        return TypedResults.Ok(new SessionList(page, sessions.Count > size, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id));
    }

    private static async Task<Ok<SessionDetail>> GetAsync(string id, BotRegistry registry, CancellationToken cancellationToken)
    {
        var conversation = await registry.Store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        return TypedResults.Ok(new SessionDetail(
            conversation.Id,
            conversation.Bot,
            conversation.Created,
            [.. conversation.Messages.Select(m => new SessionMessage(m.Message.Role.Value, m.Message.Text, m.Timestamp, m.Incomplete ? true : null, ReplyInfo(m.Message)))],
            [.. conversation.Events.Select(e => new SessionEvent(e.Kind, e.Timestamp, e.Detail, e.Data, e.AfterMessages))]));
    }

    private static async Task<NoContent> DeleteAsync(string id, BotRegistry registry, CancellationToken cancellationToken) =>
        await registry.Store.DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : throw NotFound(id);

    private static ParleyReplyInfo? ReplyInfo(ChatMessage message) =>
        message.Role == ChatRole.Assistant && message.AdditionalProperties?.ContainsKey(BotReplyInfo.RouteKey) == true
            ? ParleyReplyInfo.From(BotReplyInfo.From(message.AdditionalProperties), null, ToolForm.From(message.AdditionalProperties)?.AwaitingApproval == true)
            : null;

    private static ApiException NotFound(string id) => new(404, $"no session '{id}'", "id", "session_not_found");
}
