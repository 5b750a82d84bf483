namespace Parley.Nlu.Training;

/// <summary>Splits items into training and validation parts with the same label proportions, deterministically for a seed.</summary>
public static class StratifiedHoldout
{
    /// <summary>
    /// Holds out <c>round(n_c · fraction)</c> items of every label <c>c</c> (rounding half away from zero), but always
    /// leaves at least one item of each label for training.
    /// </summary>
    /// <param name="labels">One label per item.</param>
    /// <param name="fraction">The share to hold out, in [0, 1).</param>
    /// <param name="seed">Seeds the choice of items.</param>
    /// <returns>The indices of the training and validation items, each in ascending order.</returns>
    public static (int[] Train, int[] Validation) Split(IReadOnlyList<string> labels, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be in [0, 1).");
        }

        var random = new Random(seed);
        var byLabel = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            if (!byLabel.TryGetValue(labels[i], out var list))
            {
                byLabel[labels[i]] = list = [];
            }

            list.Add(i);
        }

        var train = new List<int>(labels.Count);
        var validation = new List<int>();
        foreach (var indices in byLabel.Values)
        {
            var shuffled = indices.ToArray();
            random.Shuffle(shuffled);
            var take = Math.Min((int)Math.Round(shuffled.Length * fraction, MidpointRounding.AwayFromZero), shuffled.Length - 1);
            validation.AddRange(shuffled.AsSpan(0, take));
            train.AddRange(shuffled.AsSpan(take));
        }

        train.Sort();
        validation.Sort();
        return (train.ToArray(), validation.ToArray());
    }
}
