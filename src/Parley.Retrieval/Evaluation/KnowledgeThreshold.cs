using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Evaluation;

/// <summary>
/// Chooses a bot's knowledge threshold (<c>thresholds.knowledge</c>) from labelled questions, some of them out of scope
/// (an empty <c>relevant</c> list): a question is answered when its best passage scores at or above the threshold, and
/// the answer is right when that passage comes from a relevant document. Precision is the share of answers that are
/// right; recall the share of in-scope questions answered rightly.
/// </summary>
public static class KnowledgeThreshold
{
    /// <summary>Each question's best hit: its score, and whether it is from a relevant document (always false out of scope).</summary>
    /// <param name="search">The search the bot uses (scores must be the ones the threshold applies to: cosines).</param>
    /// <param name="queries">The labelled questions, in scope and out of scope.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<IReadOnlyList<(double Score, bool Right, bool InScope)>> BestHitsAsync(
        IKnowledgeSearch search, IReadOnlyList<KnowledgeQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(queries);
        var best = new List<(double, bool, bool)>(queries.Count);
        foreach (var query in queries)
        {
            var hits = await search.SearchAsync(query.Query, 1, cancellationToken).ConfigureAwait(false);
            var right = hits.Count > 0 && query.Relevant.Contains(hits[0].Passage.Source, StringComparer.Ordinal);
            best.Add((hits.Count > 0 ? hits[0].Score : double.NegativeInfinity, right, query.Relevant.Count > 0));
        }

        return best;
    }

    /// <summary>Precision and recall of answering at <paramref name="threshold"/>.</summary>
    /// <param name="best">Each question's best hit, from <see cref="BestHitsAsync"/>.</param>
    /// <param name="threshold">The minimum score to answer.</param>
    public static KnowledgeThresholdResult Measure(IReadOnlyList<(double Score, bool Right, bool InScope)> best, double threshold)
    {
        ArgumentNullException.ThrowIfNull(best);
        var answered = best.Where(b => b.Score >= threshold).ToArray();
        var right = answered.Count(b => b.Right);
        var inScope = best.Count(b => b.InScope);
        return new KnowledgeThresholdResult(
            threshold,
            answered.Length == 0 ? 1 : (double)right / answered.Length,
            inScope == 0 ? 0 : (double)right / inScope,
            answered.Count(b => !b.InScope),
            best.Count(b => !b.InScope));
    }

    /// <summary>
    /// The threshold with the best F0.5 of precision and recall (precision counts twice as much: a wrong answer costs a
    /// customer more than an "I don't know" that offers a person; the higher threshold when tied), half-way between
    /// the lowest score it answers and the next lower score, so that it does not sit on one question's score.
    /// </summary>
    /// <param name="best">Each question's best hit, from <see cref="BestHitsAsync"/>; at least one in scope.</param>
    public static KnowledgeThresholdResult Calibrate(IReadOnlyList<(double Score, bool Right, bool InScope)> best)
    {
        ArgumentNullException.ThrowIfNull(best);
        var scores = best.Select(b => b.Score).Where(double.IsFinite).Distinct().OrderDescending().ToArray();
        if (scores.Length == 0 || !best.Any(b => b.InScope))
        {
            throw new ArgumentException("Calibration needs in-scope questions with hits.", nameof(best));
        }

        KnowledgeThresholdResult? chosen = null;
        for (var i = 0; i < scores.Length; i++)
        {
            var threshold = i + 1 < scores.Length ? (scores[i] + scores[i + 1]) / 2 : scores[i];
            var result = Measure(best, threshold);
            if (chosen is null || FHalf(result) > FHalf(chosen) + 1e-12)
            {
                chosen = result;
            }
        }

        return Measure(best, Math.Round(chosen!.Threshold, 3));
    }

    private static double FHalf(KnowledgeThresholdResult r) =>
        r.Precision + r.Recall == 0 ? 0 : 1.25 * r.Precision * r.Recall / ((0.25 * r.Precision) + r.Recall);
}
