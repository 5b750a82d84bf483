namespace Parley.Retrieval.Evaluation;

/// <summary>Retrieval quality and latency over an evaluation set, ranking by source document.</summary>
/// <param name="Queries">The number of queries.</param>
/// <param name="RecallAt1">The mean share of a query's relevant documents ranked first.</param>
/// <param name="RecallAt5">The mean share of a query's relevant documents in the top five.</param>
/// <param name="Mrr">The mean reciprocal rank of the first relevant document (0 when none is retrieved).</param>
/// <param name="NdcgAt10">The mean normalised discounted cumulative gain of the top ten, with binary relevance.</param>
/// <param name="P50Ms">The median query latency in milliseconds.</param>
/// <param name="P95Ms">The 95th-percentile query latency in milliseconds.</param>
public sealed record KnowledgeMetrics(int Queries, double RecallAt1, double RecallAt5, double Mrr, double NdcgAt10, double P50Ms, double P95Ms);
