using Parley.Nlu.Evaluation;

namespace Parley.Nlu.Tests.Evaluation;

public sealed class IntentEvaluatorTests
{
    // Worked by hand: see the expected values in each test.
    private static readonly EvaluationItem[] Items =
    [
        new("1", "a", "a", "a", 0.9),
        new("2", "a", "b", "b", 0.6),
        new("3", "a", "oos", "a", 0.3),
        new("4", "b", "b", "b", 0.8),
        new("5", "b", "a", "a", 0.55),
        new("6", "oos", "oos", "a", 0.2),
        new("7", "oos", "b", "b", 0.7),
        new("8", "c", "c", "c", 0.95),
    ];

    private readonly IntentMetrics _metrics = IntentEvaluator.Compute(Items);

    [Fact]
    public void Compute_Accuracies_MatchHandCount()
    {
        Assert.Equal(8, _metrics.Count);
        Assert.Equal(2, _metrics.OosCount);
        Assert.Equal(4 / 8.0, _metrics.Accuracy, 10);
        Assert.Equal(4 / 6.0, _metrics.ClosedAccuracy, 10);
        Assert.Equal(3 / 6.0, _metrics.InScopeAccuracy, 10);
        Assert.Equal(0.5, _metrics.OosRecall!.Value, 10);
        Assert.Equal(0.5, _metrics.OosPrecision!.Value, 10);
    }

    [Fact]
    public void Compute_PerIntent_MatchesHandComputedConfusionMatrix()
    {
        var byLabel = _metrics.PerIntent.ToDictionary(c => c.Label);

        Assert.Equal(["a", "b", "c", "oos"], _metrics.PerIntent.Select(c => c.Label));
        Assert.Equal(0.5, byLabel["a"].Precision, 10);
        Assert.Equal(1 / 3.0, byLabel["a"].Recall, 10);
        Assert.Equal(0.4, byLabel["a"].F1, 10);
        Assert.Equal(3, byLabel["a"].Support);
        Assert.Equal(1 / 3.0, byLabel["b"].Precision, 10);
        Assert.Equal(0.5, byLabel["b"].Recall, 10);
        Assert.Equal(1.0, byLabel["c"].F1, 10);
        Assert.Equal(0.5, byLabel["oos"].F1, 10);
        Assert.Equal((0.4 + 0.4 + 1 + 0.5) / 4, _metrics.MacroF1, 10);
    }

    [Fact]
    public void Compute_Confusions_ListEveryErrorMostFrequentFirst()
    {
        Assert.Equal(
            [new Confusion("a", "b", 1), new Confusion("a", "oos", 1), new Confusion("b", "a", 1), new Confusion("oos", "b", 1)],
            _metrics.TopConfusions);
    }

    [Fact]
    public void Compute_CalibrationError_MatchesHandComputation()
    {
        Assert.Equal(0.4125, _metrics.ExpectedCalibrationError, 10);
        Assert.Equal(IntentEvaluator.Bins, _metrics.ConfidenceHistogram.Count);
        Assert.Equal(2, _metrics.ConfidenceHistogram[9].Correct);
        Assert.Equal(1, _metrics.ConfidenceHistogram[6].Wrong);
        Assert.Equal(Items.Length, _metrics.ConfidenceHistogram.Sum(b => b.Correct + b.Wrong));
    }

    [Fact]
    public void Compute_NoOutOfScopeItems_LeavesOosMetricsNull()
    {
        var metrics = IntentEvaluator.Compute([new("x", "a", "a", "a", 1.0)]);

        Assert.Null(metrics.OosRecall);
        Assert.Null(metrics.OosPrecision);
        Assert.Equal(1.0, metrics.Accuracy);
        Assert.Equal(1.0, metrics.ConfidenceHistogram[^1].Correct);
    }

    [Fact]
    public void Compute_Empty_GivesZeros()
    {
        var metrics = IntentEvaluator.Compute([]);

        Assert.Equal(0, metrics.Count);
        Assert.Equal(0, metrics.Accuracy);
        Assert.Empty(metrics.PerIntent);
    }
}
