namespace Parley.Retrieval.Indexing;

/// <summary>A knowledge file that was left out of the index.</summary>
/// <param name="Source">The file's path relative to the knowledge folder.</param>
/// <param name="Reason">Why it could not be read, e.g. "it is not a readable PDF (...)".</param>
public sealed record SkippedFile(string Source, string Reason);
