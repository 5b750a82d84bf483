using Parley.Nlu.Features;
using Parley.Nlu.Models;
using Parley.Nlu.Tests.Training;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Models;

/// <summary>The nearest-centroid gate of models on sentence embeddings, on synthetic clusters (no encoder).</summary>
public sealed class SimilarityGateTests : IDisposable
{
    private const int Dimensions = 24;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "parley-gate-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static async Task<(IntentModel Model, TableFeaturizer Featurizer, string[] InScope, string[] Far)> TrainAsync(string kind = FeaturizerSettings.Embeddings)
    {
        var (features, labels) = Synthetic.Clusters(classes: 4, perClass: 30, Dimensions, noise: 0.1, seed: 1);
        var (probe, probeLabels) = Synthetic.Clusters(classes: 4, perClass: 5, Dimensions, noise: 0.1, seed: 2);
        var table = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var texts = features.Select((x, i) => Add(table, $"train-{labels[i]}-{i}", x)).ToArray();
        var inScope = probe.Select((x, i) => Add(table, $"{probeLabels[i]}-{i}", x)).ToArray();
        var far = Synthetic.Outliers(10, Dimensions, seed: 3).Select((x, i) => Add(table, $"far-{i}", x)).ToArray();
        var featurizer = new TableFeaturizer(table, Dimensions, kind);
        var model = await IntentModelTrainer.TrainAsync(featurizer, [.. texts.Select((t, i) => new Parley.Nlu.Intents.LabeledExample(t, labels[i]))]);
        return (model, featurizer, inScope, far);
    }

    private static string Add(Dictionary<string, float[]> table, string text, float[] vector)
    {
        table[text] = vector;
        return text;
    }

    [Fact]
    public async Task TrainAsync_Embeddings_GateKeepsInScopeAndRejectsFarMessages()
    {
        var (model, _, inScope, far) = await TrainAsync();

        var gate = Assert.IsType<SimilarityGate>(model.Manifest.Gate);
        Assert.True(gate.Threshold > 0);
        Assert.True(gate.InScopeRejection <= SimilarityGateCalibrator.MaxInScopeRejection);
        Assert.Equal(4, model.Centroids!.Count);
        var kept = await model.PredictBatchAsync(inScope);
        Assert.All(kept, p => Assert.False(p.IsOutOfScope));
        var rejected = await model.PredictBatchAsync(far);
        Assert.All(rejected, p => Assert.True(p.IsOutOfScope));
    }

    [Fact]
    public async Task TrainAsync_OtherFeatures_HasNoGate()
    {
        var (model, _, _, _) = await TrainAsync(FeaturizerSettings.CharNGrams);

        Assert.Null(model.Manifest.Gate);
        Assert.Null(model.Centroids);
    }

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_KeepsTheGate()
    {
        var (model, featurizer, inScope, far) = await TrainAsync();
        var folder = Path.Combine(_root, "model");

        await model.SaveAsync(folder);
        var loaded = await IntentModel.LoadAsync(folder, _ => featurizer);

        Assert.Equal(model.Manifest.Gate!.Threshold, loaded.Manifest.Gate!.Threshold);
        Assert.Equal(64, loaded.Manifest.Gate.Sha256.Length);
        Assert.True(File.Exists(Path.Combine(folder, SimilarityGate.DefaultFile)));
        Assert.Equal(model.Centroids!.SelectMany(c => c), loaded.Centroids!.SelectMany(c => c));
        var expected = await model.PredictBatchAsync([.. inScope, .. far]);
        var actual = await loaded.PredictBatchAsync([.. inScope, .. far]);
        Assert.Equal(expected.Select(p => p.Predicted), actual.Select(p => p.Predicted));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("delete")]
    public async Task LoadAsync_DamagedCentroids_IsRefusedNamingTheFile(string damage)
    {
        var (model, featurizer, _, _) = await TrainAsync();
        var folder = Path.Combine(_root, "model");
        await model.SaveAsync(folder);
        var file = Path.Combine(folder, SimilarityGate.DefaultFile);
        if (damage == "flip")
        {
            var bytes = await File.ReadAllBytesAsync(file);
            bytes[bytes.Length / 2] ^= 0x40;
            await File.WriteAllBytesAsync(file, bytes);
        }
        else
        {
            File.Delete(file);
        }

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => IntentModel.LoadAsync(folder, _ => featurizer));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }
}
