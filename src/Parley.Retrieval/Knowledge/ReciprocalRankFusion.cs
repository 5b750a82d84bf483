namespace Parley.Retrieval.Knowledge;

/// <summary>
/// Reciprocal rank fusion (Cormack et al., 2009): an item's fused score is the sum over rankings of
/// <c>weight / (k + rank)</c>, with ranks counted from 1; an item absent from a ranking gets nothing from it.
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>Fuses rankings into one, best first; ties keep the order in which items were first seen.</summary>
    /// <typeparam name="T">The item type; items are matched by equality.</typeparam>
    /// <param name="rankings">Each ranking (best first) with its weight.</param>
    /// <param name="k">The rank constant; larger values flatten the difference between top and lower ranks.</param>
    public static IReadOnlyList<(T Item, double Score)> Fuse<T>(IEnumerable<(IReadOnlyList<T> Ranking, double Weight)> rankings, int k = HybridSearchOptions.DefaultK)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new Dictionary<T, (double Score, int FirstSeen)>();
        foreach (var (ranking, weight) in rankings)
        {
            for (var rank = 0; rank < ranking.Count; rank++)
            {
                var item = ranking[rank];
                var contribution = weight / (k + rank + 1);
                scores[item] = scores.TryGetValue(item, out var current)
                    ? (current.Score + contribution, current.FirstSeen)
                    : (contribution, scores.Count);
            }
        }

        return scores
            .OrderByDescending(p => p.Value.Score)
            .ThenBy(p => p.Value.FirstSeen)
            .Select(p => (p.Key, p.Value.Score))
            .ToArray();
    }
}
