namespace Parley.Nlu.Torch.Training;

/// <summary>
/// SetFit-style pairs from labelled utterances: for each utterance, half of the pairs with another utterance of the
/// same intent (target similarity 1) and half with one of another intent (target 0), drawn with a seeded generator.
/// </summary>
internal static class ContrastivePairs
{
    public static (int Left, int Right, float Target)[] Create(IReadOnlyList<int> labels, int pairsPerExample, Random random)
    {
        var byLabel = labels.Select((label, index) => (label, index)).GroupBy(x => x.label).ToDictionary(g => g.Key, g => g.Select(x => x.index).ToArray());
        var pairs = new List<(int, int, float)>(labels.Count * pairsPerExample);
        for (var i = 0; i < labels.Count; i++)
        {
            var same = byLabel[labels[i]];
            for (var p = 0; p < pairsPerExample / 2; p++)
            {
                var j = same.Length == 1 ? i : same[random.Next(same.Length)];
                while (j == i && same.Length > 1)
                {
                    j = same[random.Next(same.Length)];
                }

                pairs.Add((i, j, 1f));
                if (byLabel.Count > 1)
                {
                    int k;
                    do
                    {
                        k = random.Next(labels.Count);
                    }
                    while (labels[k] == labels[i]);
                    pairs.Add((i, k, 0f));
                }
            }
        }

        return [.. pairs];
    }
}
