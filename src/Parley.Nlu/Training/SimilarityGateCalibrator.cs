using System.Globalization;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Models;

namespace Parley.Nlu.Training;

/// <summary>
/// Fits the <see cref="SimilarityGate"/> of a model on sentence embeddings: intent centroids from the training
/// features, and a threshold chosen on validation items and on out-of-fold training items (each scored against its
/// intent's centroid computed without it), never on test data.
/// </summary>
public static class SimilarityGateCalibrator
{
    /// <summary>
    /// Without labelled <c>oos</c> validation items, the share of in-scope items (validation and out-of-fold) the gate may
    /// reject: 0.02. The head's own threshold already rejects about 5%; the gate is for messages far from every intent,
    /// which in-scope messages rarely are.
    /// </summary>
    public const double MaxInScopeRejection = 0.02;

    /// <summary>
    /// Fits the gate, or returns null when the features are not sentence embeddings (the gate measures cosine similarity
    /// of normalised embeddings; bots gate character n-grams themselves).
    /// </summary>
    /// <param name="model">The trained model (its head and out-of-scope calibration are applied to validation items).</param>
    /// <param name="trainX">The training features.</param>
    /// <param name="trainY">The training labels.</param>
    /// <param name="validX">The validation features, or null.</param>
    /// <param name="validY">The validation labels, or null.</param>
    public static (SimilarityGate Gate, float[][] Centroids)? Fit(IntentModel model, float[][] trainX, string[] trainY, float[][]? validX, string[]? validY)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainX);
        ArgumentNullException.ThrowIfNull(trainY);
        if (!string.Equals(model.Featurizer.Settings.Kind, FeaturizerSettings.Embeddings, StringComparison.Ordinal))
        {
            return null;
        }

        var labels = model.Intents.ToArray();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var dims = model.Featurizer.Dimensions;
        var sums = labels.Select(_ => new double[dims]).ToArray();
        var counts = new int[labels.Length];
        for (var i = 0; i < trainX.Length; i++)
        {
            if (index.TryGetValue(trainY[i], out var c))
            {
                Add(sums[c], trainX[i], 1);
                counts[c]++;
            }
        }

        var centroids = sums.Select(Normalize).ToArray();

        // In-scope scores: out-of-fold for training items (own centroid without the item), as predicted for validation items.
        var inScope = new List<double>();
        for (var i = 0; i < trainX.Length; i++)
        {
            if (!index.TryGetValue(trainY[i], out var c) || counts[c] < 2)
            {
                continue;
            }

            var without = (double[])sums[c].Clone();
            Add(without, trainX[i], -1);
            var own = Normalize(without);
            var best = Cosine(own, trainX[i]);
            for (var k = 0; k < centroids.Length; k++)
            {
                best = k == c ? best : Math.Max(best, Cosine(centroids[k], trainX[i]));
            }

            inScope.Add(best);
        }

        var validation = new List<(double Score, bool IsOos, bool Accepted, bool Correct)>();
        for (var i = 0; validX is not null && validY is not null && i < validX.Length; i++)
        {
            var score = Nearest(centroids, validX[i]);
            var prediction = model.Predict(validX[i]);
            var isOos = validY[i] == OutOfScope.Label;
            validation.Add((score, isOos, !prediction.IsOutOfScope, prediction.Predicted == validY[i]));
            if (!isOos)
            {
                inScope.Add(score);
            }
        }

        if (inScope.Count == 0)
        {
            return null;
        }

        inScope.Sort();
        var (threshold, criterion) = validation.Any(v => v.IsOos) && validation.Any(v => !v.IsOos)
            ? WithOos(validation, inScope)
            : (Quantile(inScope, MaxInScopeRejection), string.Create(CultureInfo.InvariantCulture, $"rejects at most {MaxInScopeRejection:0%} of in-scope validation and out-of-fold training items"));
        var rejected = inScope.Count(s => s < threshold) / (double)inScope.Count;
        var gate = new SimilarityGate { Threshold = threshold, Criterion = criterion, InScopeRejection = rejected, Labels = labels };
        return (gate, centroids.Select(c => c.Select(v => (float)v).ToArray()).ToArray());
    }

    /// <summary>The cosine similarity of <paramref name="features"/> to the nearest centroid.</summary>
    internal static double Nearest(IReadOnlyList<double[]> centroids, float[] features)
    {
        var best = double.NegativeInfinity;
        foreach (var centroid in centroids)
        {
            best = Math.Max(best, Cosine(centroid, features));
        }

        return best;
    }

    // With labelled oos validation items: the threshold (none among the candidates) that maximises the same balanced
    // criterion as the head's calibration, so the gate is kept only where it helps on validation (CLINC150's 100 oos items).
    private static (double Threshold, string Criterion) WithOos(List<(double Score, bool IsOos, bool Accepted, bool Correct)> validation, List<double> inScope)
    {
        var best = (Threshold: 0.0, Score: Balanced(validation, 0));
        foreach (var share in new[] { 0.005, 0.01, 0.02, 0.05, 0.1 })
        {
            var threshold = Quantile(inScope, share);
            var score = Balanced(validation, threshold);
            if (score > best.Score + 1e-9)
            {
                best = (threshold, score);
            }
        }

        return (best.Threshold, OosCalibration.BalancedCriterion + " on validation (0 = no gate)");
    }

    private static double Balanced(List<(double Score, bool IsOos, bool Accepted, bool Correct)> validation, double threshold)
    {
        var inScope = validation.Where(v => !v.IsOos).ToArray();
        var oos = validation.Where(v => v.IsOos).ToArray();
        var accuracy = inScope.Count(v => v.Accepted && v.Correct && v.Score >= threshold) / (double)inScope.Length;
        var recall = oos.Count(v => !v.Accepted || v.Score < threshold) / (double)oos.Length;
        return (accuracy + recall) / 2;
    }

    // Just below the value at the share, so that share of the sorted scores falls under it.
    private static double Quantile(List<double> sorted, double share)
    {
        var below = (int)Math.Floor(share * sorted.Count);
        return below == 0 ? Math.Max(0, sorted[0] - 1e-6) : sorted[below];
    }

    private static void Add(double[] sum, float[] x, int sign)
    {
        for (var d = 0; d < sum.Length; d++)
        {
            sum[d] += sign * x[d];
        }
    }

    private static double[] Normalize(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return norm == 0 ? v : v.Select(x => x / norm).ToArray();
    }

    private static double Cosine(double[] unit, float[] x)
    {
        double dot = 0, norm = 0;
        for (var d = 0; d < unit.Length; d++)
        {
            dot += unit[d] * x[d];
            norm += (double)x[d] * x[d];
        }

        return norm == 0 ? 0 : dot / Math.Sqrt(norm);
    }
}
