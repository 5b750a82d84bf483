namespace Parley.Nlu.Torch.Training;

/// <summary>
/// Batches of similar length in random order: the items are shuffled, cut into pools of 50 batches, each pool sorted
/// by length and cut into batches, and the batches shuffled. A batch is padded only to its longest item.
/// </summary>
internal static class LengthGroupedBatches
{
    private const int BatchesPerPool = 50;

    public static List<int[]> Create(IReadOnlyList<int> lengths, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        random.Shuffle(order);
        var batches = new List<int[]>((lengths.Count / batchSize) + 1);
        var pool = batchSize * BatchesPerPool;
        for (var start = 0; start < order.Length; start += pool)
        {
            var sorted = order[start..Math.Min(order.Length, start + pool)].OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
            for (var b = 0; b < sorted.Length; b += batchSize)
            {
                batches.Add(sorted[b..Math.Min(sorted.Length, b + batchSize)]);
            }
        }

        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return [.. shuffled];
    }
}
