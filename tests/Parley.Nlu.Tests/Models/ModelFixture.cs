using Parley.Nlu.Intents;
using Parley.Nlu.Models;
using Parley.Nlu.Tests.Training;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Models;

/// <summary>A small trained model over synthetic clusters, with texts named <c>intentNN-i</c> and <c>oos-i</c>.</summary>
internal static class ModelFixture
{
    public const int Dimensions = 24;

    public static async Task<(IntentModel Model, TableFeaturizer Featurizer, string[] InScope, string[] Oos)> TrainAsync(int seed = 42)
    {
        var (features, labels) = Synthetic.Clusters(classes: 4, perClass: 40, Dimensions, noise: 0.1, seed: 1);
        var (probe, probeLabels) = Synthetic.Clusters(classes: 4, perClass: 5, Dimensions, noise: 0.1, seed: 2);
        var outliers = Synthetic.Outliers(40, Dimensions, seed: 3);
        var table = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var inScope = probe.Select((x, i) => Add(table, $"{probeLabels[i]}-{i}", x)).ToArray();
        var oos = outliers.Take(10).Select((x, i) => Add(table, $"oos-{i}", x)).ToArray();
        var featurizer = new TableFeaturizer(table, Dimensions);
        var data = new TrainingData([.. features, .. outliers.Skip(10)], [.. labels, .. Enumerable.Repeat(OutOfScope.Label, 30)]);
        var result = await HeadTrainer.TrainAsync(data, new TrainerOptions { Seed = seed });
        return (new IntentModel(featurizer, result), featurizer, inScope, oos);
    }

    private static string Add(Dictionary<string, float[]> table, string text, float[] vector)
    {
        table[text] = vector;
        return text;
    }
}
