using System.Numerics.Tensors;
using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Tests.Embeddings;

public sealed class MiniLmEmbeddingGeneratorTests
{
    [Fact]
    public async Task GenerateAsync_Sentences_AreNormalisedAndSimilarWhenParaphrased()
    {
        using var generator = new MiniLmEmbeddingGenerator(intraOpThreads: 1);

        var vectors = await generator.GenerateAsync(["where is my parcel?", "has my package shipped yet", "how do I bake bread"]);

        Assert.All(vectors, v => Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, v.Vector.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, TensorPrimitives.Norm(v.Vector.Span), 3));
        var paraphrase = TensorPrimitives.Dot(vectors[0].Vector.Span, vectors[1].Vector.Span);
        var unrelated = TensorPrimitives.Dot(vectors[0].Vector.Span, vectors[2].Vector.Span);
        Assert.True(paraphrase > unrelated + 0.2, $"paraphrase {paraphrase}, unrelated {unrelated}");
    }

    [Fact]
    public async Task GenerateAsync_Empty_ReturnsEmpty()
    {
        using var generator = new MiniLmEmbeddingGenerator();

        Assert.Empty(await generator.GenerateAsync([]));
    }

    [Fact]
    public void Dispose_WhileStartLoadingRuns_WaitsForTheLoadSoItsSessionIsDisposed()
    {
        var generator = new MiniLmEmbeddingGenerator(intraOpThreads: 1);
        generator.StartLoading();

        generator.Dispose();

        // The load (~0.3 s) finished inside Dispose, which then disposed the session; returning at once would leak it.
        Assert.True(generator.IsModelLoaded);
    }

    [Fact]
    public async Task StartLoading_ThenGenerate_EncodesAsWithoutIt()
    {
        using var warmed = new MiniLmEmbeddingGenerator(intraOpThreads: 1);
        using var cold = new MiniLmEmbeddingGenerator(intraOpThreads: 1);

        warmed.StartLoading();
        warmed.StartLoading();
        // Loaded with nothing asked of it yet (within 60 s even on a busy machine); the other one waits for its first use.
        for (var waited = 0; !warmed.IsModelLoaded && waited < 600; waited++)
        {
            await Task.Delay(100);
        }

        Assert.True(warmed.IsModelLoaded, "StartLoading did not load the model");
        Assert.False(cold.IsModelLoaded);
        var a = await warmed.GenerateAsync(["where is my parcel?"]);
        var b = await cold.GenerateAsync(["where is my parcel?"]);

        Assert.Equal(1.0, TensorPrimitives.CosineSimilarity(a[0].Vector.Span, b[0].Vector.Span), 5);
    }

    [Fact]
    public async Task StartLoading_ModelThatCannotLoad_FailsOnFirstUseNotBefore()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "model.onnx");
        using var generator = new MiniLmEmbeddingGenerator(new EncoderOptions { ModelPath = missing, Threads = 1 });

        generator.StartLoading();

        await Assert.ThrowsAnyAsync<Exception>(() => generator.GenerateAsync(["hello"]));
        await Assert.ThrowsAnyAsync<Exception>(() => generator.GenerateAsync(["hello again"]));
    }
}
