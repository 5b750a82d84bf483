namespace Parley.Retrieval.Knowledge;

/// <summary>A passage found by a search, with its relevance score (higher is better).</summary>
/// <param name="Passage">The passage.</param>
/// <param name="Score">The relevance score; for dense and hybrid search, the cosine similarity to the query (the best over the searches of a long message).</param>
/// <param name="Fused">For hybrid search, the fused rank score that orders the hits; null otherwise.</param>
public sealed record KnowledgeHit(KnowledgePassage Passage, double Score, double? Fused = null);
