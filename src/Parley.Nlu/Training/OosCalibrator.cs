using System.Globalization;
using System.Numerics.Tensors;

namespace Parley.Nlu.Training;

/// <summary>Chooses out-of-scope thresholds on validation predictions.</summary>
internal static class OosCalibrator
{
    /// <summary>One validation item as a head sees it.</summary>
    /// <param name="Predicted">The most probable class.</param>
    /// <param name="Confidence">Its probability.</param>
    /// <param name="IsOos">The item is labelled out of scope.</param>
    /// <param name="Correct">The item is in scope and <paramref name="Predicted"/> is its label.</param>
    /// <param name="Forced">The most probable class is the <c>oos</c> class: rejected whatever the threshold.</param>
    public readonly record struct Item(int Predicted, float Confidence, bool IsOos, bool Correct, bool Forced);

    public static Item[] Score(SoftmaxHead head, float[][] features, IReadOnlyList<string> labels, IReadOnlyDictionary<string, int> classes, int oosClass)
    {
        var items = new Item[features.Length];
        var probabilities = new float[head.Classes];
        for (var i = 0; i < features.Length; i++)
        {
            head.Predict(features[i], probabilities);
            var predicted = TensorPrimitives.IndexOfMax(probabilities);
            var isOos = labels[i] == Intents.OutOfScope.Label;
            var correct = !isOos && classes.TryGetValue(labels[i], out var gold) && gold == predicted;
            items[i] = new Item(predicted, probabilities[predicted], isOos, correct, predicted == oosClass);
        }

        return items;
    }

    /// <summary>Maximises the mean of in-scope accuracy after rejection and oos recall.</summary>
    public static OosCalibration Balanced(Item[] items, IReadOnlyList<string> labels, OosMode mode, TrainerOptions options)
    {
        var inScope = items.Count(i => !i.IsOos);
        var oos = items.Length - inScope;
        var wIn = inScope > 0 ? 0.5 / inScope : 0;
        var wOos = oos > 0 ? 0.5 / oos : 0;
        var open = items.Where(i => !i.Forced).ToArray();
        var global = Sweep(open, wIn, wOos);
        var perIntent = new Dictionary<string, double>(StringComparer.Ordinal);
        if (options.PerIntentThresholds)
        {
            foreach (var group in open.GroupBy(i => i.Predicted).Where(g => g.Count() >= options.MinItemsPerIntentThreshold))
            {
                perIntent[labels[group.Key]] = Sweep(group.ToArray(), wIn, wOos);
            }
        }

        return Describe(items, labels, mode, global, perIntent, OosCalibration.BalancedCriterion);
    }

    /// <summary>Rejects about <see cref="TrainerOptions.TargetRejectionRate"/> of the in-scope items.</summary>
    public static OosCalibration Target(Item[] items, IReadOnlyList<string> labels, OosMode mode, TrainerOptions options)
    {
        var rate = options.TargetRejectionRate;
        var inScope = items.Where(i => !i.IsOos).ToArray();
        var global = Quantile(inScope.Where(i => !i.Forced).ToArray(), (int)Math.Round(rate * inScope.Length) - inScope.Count(i => i.Forced));
        var perIntent = new Dictionary<string, double>(StringComparer.Ordinal);
        if (options.PerIntentThresholds)
        {
            foreach (var group in inScope.Where(i => !i.Forced).GroupBy(i => i.Predicted).Where(g => g.Count() >= options.MinItemsPerIntentThreshold))
            {
                var members = group.ToArray();
                perIntent[labels[group.Key]] = Quantile(members, (int)Math.Round(rate * members.Length));
            }
        }

        var criterion = string.Create(CultureInfo.InvariantCulture, $"reject {rate:0.###} of in-scope validation items (no labelled oos items)");
        return Describe(items, labels, mode, global, perIntent, criterion);
    }

    /// <summary>
    /// Rejects at most <paramref name="rate"/> of the in-scope items (those rejected whatever the threshold included):
    /// the highest threshold that keeps the rest, so as many <c>oos</c> items as that allows are rejected.
    /// </summary>
    public static OosCalibration Budgeted(Item[] items, IReadOnlyList<string> labels, OosMode mode, double rate)
    {
        var inScope = items.Where(i => !i.IsOos).ToArray();
        var allowed = (int)Math.Floor(rate * inScope.Length + 1e-9) - inScope.Count(i => i.Forced);
        var threshold = Quantile(inScope.Where(i => !i.Forced).ToArray(), Math.Max(0, allowed));
        return Describe(items, labels, mode, threshold, [], BudgetCriterion(rate));
    }

    /// <summary>The criterion of <see cref="Budgeted"/>, as recorded in the manifest.</summary>
    public static string BudgetCriterion(double rate) =>
        string.Create(CultureInfo.InvariantCulture, $"reject at most {rate:0.###} of in-scope validation items, as many oos items as that allows");

    /// <summary>
    /// Of <paramref name="candidates"/>, the one that rejects the most <c>oos</c> items within the in-scope budget
    /// <paramref name="rate"/>; when none stays within it, the one that rejects the fewest in-scope items.
    /// </summary>
    public static T ChooseWithinBudget<T>(IReadOnlyList<T> candidates, Func<T, OosCalibration> calibration, double rate)
    {
        var within = candidates.Where(c => calibration(c).RejectionRate <= rate + 1e-9).ToArray();
        return within.Length > 0
            ? within.MaxBy(c => calibration(c).OosRecall ?? 0)!
            : candidates.MinBy(c => calibration(c).RejectionRate)!;
    }

    /// <summary>Measures a fixed operating point (for <see cref="OosMode.OosClass"/>, threshold 0).</summary>
    public static OosCalibration Describe(Item[] items, IReadOnlyList<string> labels, OosMode mode, double threshold, Dictionary<string, double> perIntent, string criterion)
    {
        var calibration = new OosCalibration { Mode = mode, Threshold = threshold, IntentThresholds = perIntent, Criterion = criterion };
        int inScope = 0, kept = 0, rejectedInScope = 0, oos = 0, rejectedOos = 0;
        foreach (var item in items)
        {
            var rejected = item.Forced || item.Confidence < calibration.ThresholdFor(labels[item.Predicted]);
            if (item.IsOos)
            {
                oos++;
                rejectedOos += rejected ? 1 : 0;
            }
            else
            {
                inScope++;
                rejectedInScope += rejected ? 1 : 0;
                kept += item.Correct && !rejected ? 1 : 0;
            }
        }

        return calibration with
        {
            InScopeAccuracy = inScope > 0 ? (double)kept / inScope : double.NaN,
            OosRecall = oos > 0 ? (double)rejectedOos / oos : null,
            RejectionRate = inScope > 0 ? (double)rejectedInScope / inScope : 0,
        };
    }

    /// <summary>The balanced criterion of a calibration (in-scope accuracy alone when there are no oos items).</summary>
    public static double Criterion(OosCalibration calibration) =>
        calibration.OosRecall is { } recall ? (calibration.InScopeAccuracy + recall) / 2 : calibration.InScopeAccuracy;

    /// <summary>
    /// The threshold (rejecting items with confidence below it) that maximises the summed item weights: <paramref name="wIn"/>
    /// for each correct in-scope item kept, <paramref name="wOos"/> for each oos item rejected. Thresholds fall midway
    /// between neighbouring confidences; on ties the one rejecting fewest items wins.
    /// </summary>
    private static double Sweep(Item[] items, double wIn, double wOos)
    {
        if (items.Length == 0)
        {
            return 0;
        }

        var sorted = items.OrderBy(i => i.Confidence).ToArray();
        var score = sorted.Sum(i => i.Correct ? wIn : 0);
        var best = score;
        var bestRejected = 0;
        for (var k = 0; k < sorted.Length; k++)
        {
            score += (sorted[k].IsOos ? wOos : 0) - (sorted[k].Correct ? wIn : 0);
            var boundary = k == sorted.Length - 1 || sorted[k + 1].Confidence > sorted[k].Confidence;
            if (boundary && score > best + 1e-12)
            {
                best = score;
                bestRejected = k + 1;
            }
        }

        return ThresholdRejecting(sorted, bestRejected);
    }

    private static double Quantile(Item[] items, int reject)
    {
        var sorted = items.OrderBy(i => i.Confidence).ToArray();
        return ThresholdRejecting(sorted, Math.Clamp(reject, 0, sorted.Length));
    }

    private static double ThresholdRejecting(Item[] sorted, int rejected) =>
        rejected == 0 ? 0
        : rejected == sorted.Length ? Math.BitIncrement((double)sorted[^1].Confidence)
        : ((double)sorted[rejected - 1].Confidence + sorted[rejected].Confidence) / 2;
}
