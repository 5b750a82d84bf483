namespace Parley.Retrieval.Knowledge;

/// <summary>A passage found by a search, with its relevance score (higher is better).</summary>
/// <param name="Passage">The passage.</param>
/// <param name="Score">The relevance score; for dense search, the cosine similarity to the query.</param>
public sealed record KnowledgeHit(KnowledgePassage Passage, double Score);
