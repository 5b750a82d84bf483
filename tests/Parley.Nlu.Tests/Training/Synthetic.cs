using System.Numerics.Tensors;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Training;

/// <summary>Seeded synthetic feature sets: Gaussian clusters around random unit centres, L2-normalised like sentence embeddings.</summary>
internal static class Synthetic
{
    public static (float[][] Features, string[] Labels) Clusters(int classes, int perClass, int dimensions, double noise, int seed, int centreSeed = 1000)
    {
        var centres = Centres(classes, dimensions, centreSeed);
        var random = new Random(seed);
        var features = new List<float[]>();
        var labels = new List<string>();
        for (var c = 0; c < classes; c++)
        {
            for (var i = 0; i < perClass; i++)
            {
                var x = new float[dimensions];
                for (var d = 0; d < dimensions; d++)
                {
                    x[d] = centres[c][d] + (float)(noise * Gaussian(random));
                }

                Normalize(x);
                features.Add(x);
                labels.Add(Label(c));
            }
        }

        return (features.ToArray(), labels.ToArray());
    }

    /// <summary>Short random vectors (norm 0.05): far from every cluster, so a trained head is unsure about them.</summary>
    public static float[][] Outliers(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var x = Enumerable.Range(0, dimensions).Select(_ => (float)Gaussian(random)).ToArray();
            Normalize(x);
            TensorPrimitives.Multiply(x, 0.05f, x);
            return x;
        }).ToArray();
    }

    public static string Label(int c) => $"intent{c:00}";

    public static double Accuracy(SoftmaxHead head, IReadOnlyList<string> labels, float[][] features, string[] gold) =>
        Enumerable.Range(0, features.Length).Count(i => labels[TensorPrimitives.IndexOfMax(head.Predict(features[i]))] == gold[i]) / (double)features.Length;

    public static (float[][], string[]) Concat((float[][] F, string[] L) a, (float[][] F, string[] L) b) => ([.. a.F, .. b.F], [.. a.L, .. b.L]);

    private static float[][] Centres(int classes, int dimensions, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, classes).Select(_ =>
        {
            var x = Enumerable.Range(0, dimensions).Select(_ => (float)Gaussian(random)).ToArray();
            Normalize(x);
            return x;
        }).ToArray();
    }

    private static void Normalize(float[] x) => TensorPrimitives.Divide(x, TensorPrimitives.Norm(x), x);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
