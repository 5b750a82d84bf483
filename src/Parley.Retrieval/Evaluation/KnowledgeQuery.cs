namespace Parley.Retrieval.Evaluation;

/// <summary>An evaluation query and the documents that answer it.</summary>
/// <param name="Query">The question.</param>
/// <param name="Relevant">The relevant documents' paths relative to the knowledge folder, with forward slashes; empty for an out-of-scope question.</param>
public sealed record KnowledgeQuery(string Query, IReadOnlyList<string> Relevant);
