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
}
