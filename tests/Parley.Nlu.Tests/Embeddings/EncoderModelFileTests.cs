using System.Numerics.Tensors;
using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Tests.Embeddings;

public sealed class EncoderModelFileTests(OnnxSentenceEncoderFixture fixture) : IClassFixture<OnnxSentenceEncoderFixture>, IDisposable
{
    private static readonly string[] Sentences = ["where is my parcel", "cancel my subscription please"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "parley-model-file-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void ModelCacheDirectory_FirstUse_CopiesTheModelOnceAndEncodesAsFromThePackage()
    {
        using (var first = new OnnxSentenceEncoder(new EncoderOptions { ModelCacheDirectory = _folder }))
        {
            AssertSameEmbeddings(first);
        }

        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.EndsWith(".onnx", file, StringComparison.Ordinal);
        Assert.True(new FileInfo(file).Length > 80_000_000, $"{file} is only {new FileInfo(file).Length} bytes");
        var written = File.GetLastWriteTimeUtc(file);

        using var second = new OnnxSentenceEncoder(new EncoderOptions { ModelCacheDirectory = _folder });

        AssertSameEmbeddings(second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Assert.Single(Directory.GetFiles(_folder))));
    }

    [Fact]
    public void ModelCacheDirectory_TruncatedCopy_IsReplaced()
    {
        using (new OnnxSentenceEncoder(new EncoderOptions { ModelCacheDirectory = _folder }))
        {
        }

        var file = Assert.Single(Directory.GetFiles(_folder));
        var length = new FileInfo(file).Length;
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(1000);
        }

        using var encoder = new OnnxSentenceEncoder(new EncoderOptions { ModelCacheDirectory = _folder });

        AssertSameEmbeddings(encoder);
        Assert.Equal(length, new FileInfo(file).Length);
    }

    [Fact]
    public void ModelCacheDirectory_CannotBeCreated_LoadsFromThePackage()
    {
        Directory.CreateDirectory(_folder);
        var blocker = Path.Combine(_folder, "a-file");
        File.WriteAllText(blocker, "not a folder");

        using var encoder = new OnnxSentenceEncoder(new EncoderOptions { ModelCacheDirectory = Path.Combine(blocker, "cache") });

        AssertSameEmbeddings(encoder);
        Assert.Single(Directory.GetFiles(_folder));
    }

    private void AssertSameEmbeddings(OnnxSentenceEncoder encoder)
    {
        var expected = fixture.Encoder.Encode(Sentences);
        var actual = encoder.Encode(Sentences);
        for (var i = 0; i < Sentences.Length; i++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(expected[i], actual[i]) > 0.9999f, Sentences[i]);
        }
    }
}
