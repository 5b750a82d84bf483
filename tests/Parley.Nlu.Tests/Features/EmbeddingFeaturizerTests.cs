using System.Numerics.Tensors;
using Parley.Nlu.Features;

namespace Parley.Nlu.Tests.Features;

public sealed class EmbeddingFeaturizerTests
{
    [Fact]
    public async Task FeaturizeAsync_Texts_AreNormalisedGeneratorVectorsInOrder()
    {
        var featurizer = new EmbeddingFeaturizer(new FakeEmbeddingGenerator());

        var vectors = await featurizer.FeaturizeAsync(["aa", "bbbb"]);

        Assert.Equal(3, featurizer.Dimensions);
        Assert.Equal([2 / 3f, 2 / 3f, 1 / 3f], vectors[0], new FloatComparer());
        Assert.Equal([4 / MathF.Sqrt(17), 0, 1 / MathF.Sqrt(17)], vectors[1], new FloatComparer());
    }

    [Fact]
    public async Task FeaturizeAsync_ManyTexts_ChunksAndReportsProgress()
    {
        var generator = new FakeEmbeddingGenerator();
        var featurizer = new EmbeddingFeaturizer(generator);
        var reports = new List<int>();
        var texts = Enumerable.Range(0, EmbeddingFeaturizer.ChunkSize + 10).Select(i => new string('a', i % 7 + 1)).ToArray();

        var vectors = await featurizer.FeaturizeAsync(texts, new SynchronousProgress(reports));

        Assert.Equal([EmbeddingFeaturizer.ChunkSize, 10], generator.Batches.Select(b => b.Length));
        Assert.Equal([EmbeddingFeaturizer.ChunkSize, texts.Length], reports);
        Assert.All(vectors, v => Assert.Equal(1f, TensorPrimitives.Norm(v), 5));
    }

    [Fact]
    public void Ctor_GeneratorWithModelId_RecordsModelInSettings()
    {
        var featurizer = new EmbeddingFeaturizer(new FakeEmbeddingGenerator("m1"));

        Assert.Equal(FeaturizerSettings.Embeddings, featurizer.Settings.Kind);
        Assert.Equal("m1", featurizer.Settings.EmbeddingModel);
    }

    [Fact]
    public void Ctor_GeneratorWithoutDimensions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new EmbeddingFeaturizer(new FakeEmbeddingGenerator(dimensions: null)));
    }

    [Fact]
    public async Task FeaturizeAsync_WrongDimensions_Throws()
    {
        var featurizer = new EmbeddingFeaturizer(new FakeEmbeddingGenerator(dimensions: null), dimensions: 5);

        await Assert.ThrowsAsync<InvalidOperationException>(() => featurizer.FeaturizeAsync(["x"]));
    }

    private sealed class SynchronousProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }

    private sealed class FloatComparer : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) < 1e-6f;

        public int GetHashCode(float obj) => 0;
    }
}
