namespace Parley.Server.Sessions;

/// <summary>The body of <c>GET /api/sessions</c>.</summary>
/// <param name="Data">The sessions, most recent first.</param>
public sealed record SessionList(IReadOnlyList<SessionSummary> Data);
