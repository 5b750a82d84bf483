using Parley.Retrieval.Evaluation;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Tests.Evaluation;

public sealed class KnowledgeThresholdTests
{
    private static readonly (double Score, bool Right, bool InScope)[] Best =
    [
        (0.80, true, true), (0.70, true, true), (0.60, false, true), (0.55, true, true),
        (0.50, false, false), (0.40, true, true), (0.30, false, false), (0.20, false, false),
    ];

    [Fact]
    public void Measure_Threshold_CountsRightAnswersAndOutOfScopeAnswered()
    {
        var result = KnowledgeThreshold.Measure(Best, 0.45);

        Assert.Equal(3.0 / 5, result.Precision, 6);
        Assert.Equal(3.0 / 5, result.Recall, 6);
        Assert.Equal((1, 3), (result.OutOfScopeAnswered, result.OutOfScope));
    }

    [Fact]
    public void Calibrate_OutOfScopeQuestions_ChoosesAThresholdBetweenScoresThatFavoursPrecision()
    {
        var result = KnowledgeThreshold.Calibrate(Best);

        // F0.5: answering down to 0.70 (threshold half-way to 0.60) gives precision 1, recall 2/5 (0.769); down to
        // 0.55 precision 3/4, recall 3/5 (0.714); down to 0.40 precision 4/6, recall 4/5 (0.690).
        Assert.Equal(0.65, result.Threshold, 3);
        Assert.Equal((1.0, 0.4), (result.Precision, result.Recall));
        Assert.Equal(0, result.OutOfScopeAnswered);
    }

    [Fact]
    public async Task ReadQueriesAsync_EmptyRelevant_IsAnOutOfScopeQuestionLeftOutOfRankingMetrics()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "{\"query\": \"who painted the Mona Lisa?\", \"relevant\": []}\n{\"query\": \"refund\", \"relevant\": [\"a.md\"]}\n");

            var queries = await KnowledgeEvaluator.ReadQueriesAsync(path);
            var metrics = await KnowledgeEvaluator.EvaluateAsync(new NoHits(), queries);

            Assert.Empty(queries[0].Relevant);
            Assert.Equal(1, metrics.Queries);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class NoHits : IKnowledgeSearch
    {
        public int Count => 0;

        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<KnowledgeHit>>([]);
    }
}
