namespace Parley.Retrieval.Ingestion;

/// <summary>The result of <see cref="DocumentCheck.Run"/> for one file.</summary>
/// <param name="Outcome">Indexed, refused, crashed, or passages with wrong offsets.</param>
/// <param name="Passages">The number of passages (0 unless read).</param>
/// <param name="Detail">Why it was refused, the exception, or the passage whose offsets are wrong; null when indexed.</param>
public sealed record DocumentCheckResult(DocumentCheckOutcome Outcome, int Passages, string? Detail);
