namespace Parley.Server.Sessions;

/// <summary>The body of <c>GET /api/sessions/{id}</c>.</summary>
/// <param name="Id">The session id.</param>
/// <param name="Bot">The bot's name.</param>
/// <param name="Created">When it started.</param>
/// <param name="Messages">The stored messages, oldest first.</param>
/// <param name="Events">The session's events (handoffs, rules that fired, …), oldest first.</param>
/// <param name="Title">The name it was given (<c>PATCH /api/sessions/{id}</c>), when it has one.</param>
public sealed record SessionDetail(string Id, string Bot, DateTimeOffset Created, IReadOnlyList<SessionMessage> Messages, IReadOnlyList<SessionEvent> Events, string? Title = null);
