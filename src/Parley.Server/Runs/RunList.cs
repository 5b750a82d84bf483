namespace Parley.Server.Runs;

/// <summary>The body of <c>GET /api/runs</c>: newest first.</summary>
/// <param name="Data">The runs and jobs.</param>
public sealed record RunList(IReadOnlyList<RunSummary> Data);
