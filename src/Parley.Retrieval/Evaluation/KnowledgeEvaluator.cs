using System.Text.Json;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Evaluation;

/// <summary>
/// Measures a knowledge search on labelled queries. Hits are collapsed to source documents: a document's rank is
/// the rank of its best passage.
/// </summary>
public static class KnowledgeEvaluator
{
    /// <summary>The number of passages retrieved per query before collapsing them to documents.</summary>
    public const int Depth = 50;

    /// <summary>
    /// Reads a JSONL file of <c>{"query": str, "relevant": [paths]}</c> lines; other fields are ignored. An empty
    /// <c>relevant</c> array marks an out-of-scope question, which the ranking metrics leave out and threshold
    /// calibration (<see cref="KnowledgeThreshold"/>) uses.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="KnowledgeException">The file is missing or a line is malformed.</exception>
    public static async Task<IReadOnlyList<KnowledgeQuery>> ReadQueriesAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new KnowledgeException($"{path}: the queries file does not exist.");
        }

        var queries = new List<KnowledgeQuery>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var query = root.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : null;
                var relevant = root.TryGetProperty("relevant", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.Replace('\\', '/')).ToArray()
                    : null;
                if (string.IsNullOrWhiteSpace(query) || relevant is null)
                {
                    throw new KnowledgeException($"{path}:{lineNumber}: each line needs a \"query\" string and a \"relevant\" array of document paths (empty for a question the knowledge does not answer).");
                }

                queries.Add(new KnowledgeQuery(query, relevant));
            }
            catch (JsonException e)
            {
                throw new KnowledgeException($"{path}:{lineNumber}: not valid JSON ({e.Message}).", e);
            }
        }

        return queries;
    }

    /// <summary>Collapses hits to their source documents, each at the rank of its best passage.</summary>
    /// <param name="hits">The hits, best first.</param>
    public static IReadOnlyList<string> RankDocuments(IEnumerable<KnowledgeHit> hits) =>
        hits.Select(h => h.Passage.Source).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Runs every in-scope query (one with relevant documents) through <paramref name="search"/> and aggregates the metrics.</summary>
    /// <param name="search">The search to measure.</param>
    /// <param name="queries">The labelled queries.</param>
    /// <param name="timeProvider">The clock for latencies; null for the system clock.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<KnowledgeMetrics> EvaluateAsync(
        IKnowledgeSearch search,
        IReadOnlyList<KnowledgeQuery> queries,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(queries);
        timeProvider ??= TimeProvider.System;
        queries = queries.Where(q => q.Relevant.Count > 0).ToArray();
        double recall1 = 0, recall5 = 0, mrr = 0, ndcg = 0;
        var latencies = new double[queries.Count];
        for (var q = 0; q < queries.Count; q++)
        {
            var query = queries[q];
            var started = timeProvider.GetTimestamp();
            var hits = await search.SearchAsync(query.Query, Depth, cancellationToken).ConfigureAwait(false);
            latencies[q] = timeProvider.GetElapsedTime(started).TotalMilliseconds;

            var ranked = RankDocuments(hits);
            var relevant = query.Relevant.ToHashSet(StringComparer.Ordinal);
            recall1 += Recall(ranked, relevant, 1);
            recall5 += Recall(ranked, relevant, 5);
            var first = IndexOfFirst(ranked, relevant);
            mrr += first < 0 ? 0 : 1.0 / (first + 1);
            ndcg += Ndcg(ranked, relevant, 10);
        }

        var n = Math.Max(queries.Count, 1);
        return new KnowledgeMetrics(queries.Count, recall1 / n, recall5 / n, mrr / n, ndcg / n, Percentile(latencies, 0.50), Percentile(latencies, 0.95));
    }

    private static double Recall(IReadOnlyList<string> ranked, HashSet<string> relevant, int k) =>
        (double)ranked.Take(k).Count(relevant.Contains) / relevant.Count;

    private static int IndexOfFirst(IReadOnlyList<string> ranked, HashSet<string> relevant)
    {
        for (var i = 0; i < ranked.Count; i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static double Ndcg(IReadOnlyList<string> ranked, HashSet<string> relevant, int k)
    {
        var dcg = ranked.Take(k).Select((d, i) => relevant.Contains(d) ? 1 / Math.Log2(i + 2) : 0).Sum();
        var ideal = Enumerable.Range(0, Math.Min(relevant.Count, k)).Sum(i => 1 / Math.Log2(i + 2));
        return dcg / ideal;
    }

    // Nearest-rank percentile: the smallest value with at least p of the values at or below it.
    private static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
