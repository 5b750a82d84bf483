using Parley.Nlu.Data;
using Parley.Testing;

namespace Parley.Nlu.Torch.Tests;

/// <summary>Real utterances for comparing encoders: CLINC150 "small", every split, in file order.</summary>
internal static class Sentences
{
    private static readonly Lazy<IReadOnlyList<DatasetItem>> Items = new(() =>
        DatasetReader.ReadAsync(TestPaths.ClincSmall).GetAwaiter().GetResult().AllItems.ToArray());

    /// <summary>Every <paramref name="count"/>-th-spaced text, so that many intents and lengths are covered, plus a few odd ones.</summary>
    public static IReadOnlyList<string> Spread(int count)
    {
        var all = Items.Value;
        var step = Math.Max(1, all.Count / count);
        var texts = Enumerable.Range(0, count - 4).Select(i => all[(i * step) % all.Count].Text).ToList();
        texts.AddRange(["Café naïve façade", "transfer $100 to <savings> now!!", "a", string.Join(' ', Enumerable.Repeat("very long sentence", 40))]);
        return texts;
    }

    public static double Cosine(float[] a, float[] b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
