namespace Parley.Retrieval.Knowledge;

/// <summary>Selects the best scores without sorting them all, so dense search stays fast at 100k passages.</summary>
internal static class TopK
{
    /// <summary>The indexes of the <paramref name="count"/> highest scores, best first; ties rank by index.</summary>
    public static int[] Indexes(ReadOnlySpan<float> scores, int count)
    {
        count = Math.Min(count, scores.Length);
        if (count <= 0)
        {
            return [];
        }

        // A min-heap of the best so far: its root is the weakest kept, replaced when a better score comes.
        var heap = new PriorityQueue<int, (float Score, int Index)>(count, Weaker.Instance);
        for (var i = 0; i < scores.Length; i++)
        {
            if (heap.Count < count)
            {
                heap.Enqueue(i, (scores[i], i));
            }
            else if (heap.TryPeek(out _, out var weakest) && Weaker.Instance.Compare((scores[i], i), weakest) > 0)
            {
                heap.DequeueEnqueue(i, (scores[i], i));
            }
        }

        var result = new int[heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            result[i] = heap.Dequeue();
        }

        return result;
    }

    // Orders weaker first: a lower score, or an equal score at a later index.
    private sealed class Weaker : IComparer<(float Score, int Index)>
    {
        public static readonly Weaker Instance = new();

        public int Compare((float Score, int Index) x, (float Score, int Index) y) =>
            x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.Index.CompareTo(x.Index);
    }
}
