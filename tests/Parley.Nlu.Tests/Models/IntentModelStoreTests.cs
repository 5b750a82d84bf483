using System.Diagnostics;
using System.Text.Json.Nodes;
using Parley.Nlu.Features;
using Parley.Nlu.Models;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Models;

public sealed class IntentModelStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "parley-model-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_GivesIdenticalPredictionsAndManifest()
    {
        var (model, featurizer, inScope, oos) = await ModelFixture.TrainAsync();
        var folder = Path.Combine(_root, "model");
        var clock = new FixedClock(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        FeaturizerSettings? requested = null;

        await model.SaveAsync(folder, clock);
        var loaded = await IntentModel.LoadAsync(folder, settings =>
        {
            requested = settings;
            return featurizer;
        });

        Assert.Equal(featurizer.Settings, requested);
        Assert.True(model.Head.Weights.SequenceEqual(loaded.Head.Weights));
        Assert.True(model.Head.Bias.SequenceEqual(loaded.Head.Bias));
        var expected = await model.PredictBatchAsync([.. inScope, .. oos]);
        var actual = await loaded.PredictBatchAsync([.. inScope, .. oos]);
        Assert.Equal(expected.Select(p => (p.Predicted, p.ClosedPredicted, p.Confidence)), actual.Select(p => (p.Predicted, p.ClosedPredicted, p.Confidence)));
        Assert.Equal(expected.SelectMany(p => p.Top), actual.SelectMany(p => p.Top));

        var manifest = loaded.Manifest;
        Assert.Equal(1, manifest.FormatVersion);
        Assert.Equal(clock.Now, manifest.Created);
        Assert.Equal(model.Labels, manifest.Labels);
        Assert.Equal(model.Calibration.Mode, manifest.Calibration.Mode);
        Assert.Equal(model.Calibration.Threshold, manifest.Calibration.Threshold);
        Assert.Equal(model.Calibration.Candidates, manifest.Calibration.Candidates);
        Assert.Equal(model.Manifest.History, manifest.History);
        Assert.Equal(model.Manifest.DataHash, manifest.DataHash);
        Assert.Equal(42, manifest.Seed);
        Assert.Equal(OptimizerKind.Adam, manifest.Trainer.Optimizer);
        Assert.Equal(model.Manifest.Metrics["validation_accuracy"], manifest.Metrics["validation_accuracy"]);
        Assert.Contains("Parley.Nlu", manifest.Packages.Keys);
        Assert.Contains("Microsoft.ML.OnnxRuntime", manifest.Packages.Keys);
        Assert.Equal(64, manifest.HeadSha256.Length);
        Assert.Equal(["head.bin", "manifest.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task LoadAsync_UnknownFormatVersion_IsRefused()
    {
        var (model, featurizer, _, _) = await ModelFixture.TrainAsync();
        var folder = Path.Combine(_root, "model");
        await model.SaveAsync(folder);
        var path = Path.Combine(folder, "manifest.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        json["formatVersion"] = 2;
        await File.WriteAllTextAsync(path, json.ToJsonString());

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => IntentModel.LoadAsync(folder, _ => featurizer));

        Assert.Equal($"The model at {Path.GetFullPath(folder)} has format version 2; this Parley reads version 1: re-train or upgrade.", error.Message);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("delete")]
    public async Task LoadAsync_DamagedHead_IsRefusedNamingTheFile(string damage)
    {
        var (model, featurizer, _, _) = await ModelFixture.TrainAsync();
        var folder = Path.Combine(_root, "model");
        await model.SaveAsync(folder);
        var head = Path.Combine(folder, "head.bin");
        var bytes = await File.ReadAllBytesAsync(head);
        switch (damage)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x40;
                await File.WriteAllBytesAsync(head, bytes);
                break;
            case "truncate":
                await File.WriteAllBytesAsync(head, bytes[..^4]);
                break;
            default:
                File.Delete(head);
                break;
        }

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => IntentModel.LoadAsync(folder, _ => featurizer));

        Assert.Contains(head, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingManifest_IsRefusedNamingTheFile()
    {
        var (_, featurizer, _, _) = await ModelFixture.TrainAsync();
        var folder = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => IntentModel.LoadAsync(folder, _ => featurizer));

        Assert.Contains(Path.Combine(folder, "manifest.json"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_InvalidManifestJson_IsRefused()
    {
        var (model, featurizer, _, _) = await ModelFixture.TrainAsync();
        var folder = Path.Combine(_root, "model");
        await model.SaveAsync(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), "{ \"formatVersion\": 1, \"labels\": [");

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => IntentModel.LoadAsync(folder, _ => featurizer));

        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_FailsMidWrite_LeavesThePreviousModelAndNoLeftovers()
    {
        var (first, featurizer, inScope, _) = await ModelFixture.TrainAsync(seed: 1);
        var (second, _, _, _) = await ModelFixture.TrainAsync(seed: 2);
        var folder = Path.Combine(_root, "model");
        await first.SaveAsync(folder);

        await Assert.ThrowsAsync<InvalidOperationException>(() => second.SaveAsync(folder, new FailingClock()));

        var loaded = await IntentModel.LoadAsync(folder, _ => featurizer);
        Assert.True(first.Head.Weights.SequenceEqual(loaded.Head.Weights));
        Assert.Equal(["model"], Directory.GetDirectories(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SaveAsync_OverExistingModel_ReplacesItAndLeavesNoLeftovers()
    {
        var (first, featurizer, _, _) = await ModelFixture.TrainAsync(seed: 1);
        var (second, _, _, _) = await ModelFixture.TrainAsync(seed: 2);
        var folder = Path.Combine(_root, "model");
        await first.SaveAsync(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "stale.txt"), "from an older model");

        await second.SaveAsync(folder);

        var loaded = await IntentModel.LoadAsync(folder, _ => featurizer);
        Assert.False(first.Head.Weights.SequenceEqual(second.Head.Weights));
        Assert.True(second.Head.Weights.SequenceEqual(loaded.Head.Weights));
        Assert.Equal(["model"], Directory.GetDirectories(_root).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(folder, "stale.txt")));
    }

    [Fact]
    public async Task LoadAsync_150Classes384Dimensions_TakesWellUnderASecond()
    {
        var random = new Random(5);
        var head = new SoftmaxHead(150, 384, Enumerable.Range(0, 150 * 384).Select(_ => random.NextSingle()).ToArray(), new float[150]);
        var labels = Enumerable.Range(0, 150).Select(i => $"intent{i}").ToArray();
        var featurizer = new TableFeaturizer(new Dictionary<string, float[]>(), 384);
        var training = new TrainingResult
        {
            Head = head,
            Labels = labels,
            History = [new EpochMetrics(1, 1, 1, 0.5, TimeSpan.FromSeconds(1))],
            BestEpoch = 1,
            Calibration = OosCalibration.None,
            Options = new TrainerOptions(),
            DataHash = "abc",
            TrainCount = 1,
            ValidationCount = 0,
        };
        var folder = Path.Combine(_root, "big");
        await new IntentModel(featurizer, training).SaveAsync(folder);

        // Load time is a benchmark target (docs/BENCHMARKS.md), not a unit-test assertion.
        var loaded = await IntentModel.LoadAsync(folder, _ => featurizer);

        Assert.True(head.Weights.SequenceEqual(loaded.Head.Weights));
        Assert.True(new FileInfo(Path.Combine(folder, "head.bin")).Length < 10 * 1024 * 1024);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now => now;

        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Fails when the manifest is being written, after the head file: a crash in the middle of a save.</summary>
    private sealed class FailingClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("simulated failure while saving");
    }
}
