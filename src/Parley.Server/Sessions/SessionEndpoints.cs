using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Server.Chat;
using Parley.Server.Errors;
using Parley.Server.Hosting;
using Parley.Server.Security;

namespace Parley.Server.Sessions;

/// <summary>
/// Maps <c>GET /api/sessions</c> (paged with <c>limit</c> and <c>after</c>), <c>GET</c>, <c>PATCH</c> (its title) and
/// <c>DELETE /api/sessions/{id}</c>. A caller sees only the sessions it may (<see cref="ApiCaller.CanSee"/>); another
/// key's session is answered as one that does not exist.
/// </summary>
public static class SessionEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sessions");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPatch("/{id}", PatchAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return app;
    }

    /// <summary>The page size when the request names none.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>
    /// The session <paramref name="id"/> when <paramref name="caller"/> may see it; null when there is none or it
    /// belongs to another key (the two are not told apart, so a session's existence does not leak).
    /// </summary>
    internal static async Task<Conversation?> FindAsync(IConversationStore store, string id, ApiCaller caller, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } conversation && caller.CanSee(conversation.Owner) ? conversation : null;

    /// <summary>The 404 for a session that does not exist or that the caller may not see.</summary>
    internal static ApiException NotFound(string id, string param = "id") => new(404, $"no session '{id}'", param, "session_not_found");

    private static async Task<Ok<SessionList>> ListAsync(HttpContext context, BotRegistry registry, string? bot, string? limit, string? after, CancellationToken cancellationToken)
    {
        var caller = ApiCaller.Of(context);
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxLimit))
        {
            throw ApiException.Invalid("limit", $"'limit' must be an integer from 1 to {MaxLimit}");
        }

        after = after is { Length: > 0 } ? SessionIds.Check(after, "after") : null;
        if (after is not null && await FindAsync(registry.Store, after, caller, cancellationToken).ConfigureAwait(false) is null)
        {
            throw ApiException.Invalid("after", $"'after' names '{after}', which is not a session");
        }

        // One more than the page, to know whether another follows.
        var sessions = await registry.Store.ListPageAsync(bot, size + 1, after, caller.ListFilter, cancellationToken).ConfigureAwait(false);
        var page = sessions.Take(size).Select(s => new SessionSummary(s.Id, s.Bot, s.Created, s.Updated, s.MessageCount, s.Preview, s.Title)).ToArray();
        return TypedResults.Ok(new SessionList(page, sessions.Count > size, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id));
    }

    private static async Task<Ok<SessionDetail>> GetAsync(string id, HttpContext context, BotRegistry registry, CancellationToken cancellationToken)
    {
        var conversation = await FindAsync(registry.Store, id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        return TypedResults.Ok(Detail(conversation));
    }

    private static async Task<Ok<SessionDetail>> PatchAsync(string id, HttpContext context, BotRegistry registry, ParleyServerOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body.FirstOrDefault(p => p.Key != "title") is { Key: { } unknown })
        {
            throw ApiException.Invalid(unknown, $"'{unknown}' cannot be changed: a session's 'title' can");
        }

        if (!body.ContainsKey("title"))
        {
            throw ApiException.Invalid("title", "the body must set 'title' (a string, or null to remove it)");
        }

        var title = SessionTitles.Check(JsonFields.String(body, "title"));
        var conversation = await FindAsync(registry.Store, id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        try
        {
            await registry.Store.SetTitleAsync(id, title, cancellationToken).ConfigureAwait(false);
        }
        catch (ConversationStoreException)
        {
            // Deleted between the two calls, or the store failed.
            if (await registry.Store.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                throw NotFound(id);
            }

            throw;
        }

        conversation.Title = title;
        return TypedResults.Ok(Detail(conversation));
    }

    private static async Task<NoContent> DeleteAsync(string id, HttpContext context, BotRegistry registry, CancellationToken cancellationToken)
    {
        _ = await FindAsync(registry.Store, id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        return await registry.Store.DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : throw NotFound(id);
    }

    private static SessionDetail Detail(Conversation conversation) => new(
        conversation.Id,
        conversation.Bot,
        conversation.Created,
        [.. conversation.Messages.Select(m => new SessionMessage(m.Message.Role.Value, m.Message.Text, m.Timestamp, m.Incomplete ? true : null, ReplyInfo(m.Message)))],
        [.. conversation.Events.Select(e => new SessionEvent(e.Kind, e.Timestamp, e.Detail, e.Data, e.AfterMessages))],
        conversation.Title);

    private static ParleyReplyInfo? ReplyInfo(ChatMessage message) =>
        message.Role == ChatRole.Assistant && message.AdditionalProperties?.ContainsKey(BotReplyInfo.RouteKey) == true
            ? ParleyReplyInfo.From(BotReplyInfo.From(message.AdditionalProperties), null, ToolForm.From(message.AdditionalProperties)?.AwaitingApproval == true)
            : null;
}
