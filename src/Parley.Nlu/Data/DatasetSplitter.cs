namespace Parley.Nlu.Data;

/// <summary>
/// Splits labelled items into train, validation and test: stratified by intent, deterministic for a seed, and with
/// utterances that are the same up to case, punctuation and spacing always in one split (no leakage).
/// </summary>
public static class DatasetSplitter
{
    /// <summary>Splits <paramref name="items"/>.</summary>
    /// <param name="items">The items; their intents should not conflict (see <see cref="DatasetValidator"/>).</param>
    /// <param name="validation">The fraction of each intent for validation, in [0, 1).</param>
    /// <param name="test">The fraction of each intent for test, in [0, 1); with <paramref name="validation"/> below 1.</param>
    /// <param name="seed">The seed of the shuffle: the same items and seed give the same split.</param>
    /// <remarks>
    /// Groups of identical utterances are assigned whole. Each intent gets its share of validation and test items
    /// rounded so that the totals over all intents match the fractions; an intent with at least three distinct
    /// utterances always keeps one in train.
    /// </remarks>
    public static DatasetSplit Split(IReadOnlyList<DatasetItem> items, double validation = 0.1, double test = 0.1, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(validation);
        ArgumentOutOfRangeException.ThrowIfNegative(test);
        if (validation + test >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(test), test, $"validation ({validation}) and test ({test}) fractions must add up to less than 1");
        }

        // Groups by normalized text, in order of first appearance; a group belongs to the intent of its first item.
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<List<int>>();
        for (var i = 0; i < items.Count; i++)
        {
            var key = TextNormalizer.Near(items[i].Text);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = [];
                order.Add(group);
            }

            group.Add(i);
        }

        var byIntent = order
            .GroupBy(g => items[g[0]].Intent, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        var random = new Random(seed);
        var assignment = new int[items.Count];
        double expectedTest = 0, expectedValidation = 0;
        int assignedTest = 0, assignedValidation = 0;
        foreach (var intent in byIntent)
        {
            var intentGroups = intent.ToArray();
            random.Shuffle(intentGroups);
            var count = intentGroups.Sum(g => g.Count);

            // Cumulative rounding: each intent gets the floor or ceiling of its share, and the totals stay on target.
            expectedTest += count * test;
            expectedValidation += count * validation;
            var testTarget = Math.Max(0, (int)Math.Round(expectedTest, MidpointRounding.AwayFromZero) - assignedTest);
            var validationTarget = Math.Max(0, (int)Math.Round(expectedValidation, MidpointRounding.AwayFromZero) - assignedValidation);

            var parts = Assign(intentGroups, testTarget, validationTarget);
            foreach (var (group, part) in intentGroups.Zip(parts))
            {
                foreach (var index in group)
                {
                    assignment[index] = part;
                }
            }

            assignedTest += intentGroups.Where((_, i) => parts[i] == TestPart).Sum(g => g.Count);
            assignedValidation += intentGroups.Where((_, i) => parts[i] == ValidationPart).Sum(g => g.Count);
        }

        List<DatasetItem> Part(int part) => [.. items.Where((_, i) => assignment[i] == part)];
        return new DatasetSplit(Part(TrainPart), Part(ValidationPart), Part(TestPart), validation, test, seed);
    }

    private const int TrainPart = 0;
    private const int ValidationPart = 1;
    private const int TestPart = 2;

    /// <summary>Fills test, then validation, with whole groups while that brings each closer to its target; the rest is train.</summary>
    private static int[] Assign(List<int>[] groups, int testTarget, int validationTarget)
    {
        var parts = new int[groups.Length];
        int inTest = 0, inValidation = 0;
        for (var i = 0; i < groups.Length; i++)
        {
            var size = groups[i].Count;
            if (Closer(inTest, size, testTarget))
            {
                parts[i] = TestPart;
                inTest += size;
            }
            else if (Closer(inValidation, size, validationTarget))
            {
                parts[i] = ValidationPart;
                inValidation += size;
            }
        }

        if (groups.Length >= 3 && !parts.Contains(TrainPart))
        {
            // Every intent with enough distinct utterances must be learnable: give train the last group of the larger part.
            var from = inTest >= inValidation ? TestPart : ValidationPart;
            parts[Array.LastIndexOf(parts, from)] = TrainPart;
        }

        return parts;
    }

    private static bool Closer(int current, int size, int target) =>
        current < target && Math.Abs(current + size - target) < Math.Abs(current - target);
}
