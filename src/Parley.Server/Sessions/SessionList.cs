namespace Parley.Server.Sessions;

/// <summary>The body of <c>GET /api/sessions</c>: one page, in OpenAI's list shape.</summary>
/// <param name="Data">The sessions, most recent first.</param>
/// <param name="HasMore">Whether there are more after this page: ask again with <c>after</c> = <paramref name="LastId"/>.</param>
/// <param name="FirstId">The id of the first session on the page, or null for an empty page.</param>
/// <param name="LastId">The id of the last session on the page, or null for an empty page.</param>
public sealed record SessionList(IReadOnlyList<SessionSummary> Data, bool HasMore, string? FirstId, string? LastId)
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object => "list";
}
