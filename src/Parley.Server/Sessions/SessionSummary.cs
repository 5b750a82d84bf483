namespace Parley.Server.Sessions;

/// <summary>A session in <see cref="SessionList"/>.</summary>
/// <param name="Id">The session id.</param>
/// <param name="Bot">The bot's name.</param>
/// <param name="Created">When it started.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="MessageCount">How many messages it holds.</param>
/// <param name="Preview">The start of its first user message, when it has one.</param>
/// <param name="Title">The name it was given (<c>PATCH /api/sessions/{id}</c>), when it has one.</param>
public sealed record SessionSummary(string Id, string Bot, DateTimeOffset Created, DateTimeOffset Updated, int MessageCount, string? Preview = null, string? Title = null);
