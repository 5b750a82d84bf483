using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Tests.Embeddings;

public sealed class EmbeddingCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static float[] Vector(float seed) => [seed, seed + 1, seed + 2];

    [Fact]
    public void AddRange_ThenReopen_ReturnsTheSameVectors()
    {
        var cache = EmbeddingCache.Open(_dir, "m", 3);
        cache.AddRange([("hello", Vector(1)), ("world", Vector(5))]);

        var reopened = EmbeddingCache.Open(_dir, "m", 3);

        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet("world", out var v));
        Assert.Equal(Vector(5), v);
        Assert.False(reopened.TryGet("other", out _));
    }

    [Fact]
    public void Open_OtherModel_DoesNotSeeTheseEntries()
    {
        EmbeddingCache.Open(_dir, "m", 3).AddRange([("hello", Vector(1))]);

        Assert.False(EmbeddingCache.Open(_dir, "other-model", 3).TryGet("hello", out _));
    }

    [Fact]
    public void Open_RecordCutShortByACrash_KeepsWholeRecordsAndAppendsAfterThem()
    {
        var cache = EmbeddingCache.Open(_dir, "m", 3);
        cache.AddRange([("a", Vector(1)), ("b", Vector(2))]);
        using (var stream = new FileStream(cache.Path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 5);
        }

        var reopened = EmbeddingCache.Open(_dir, "m", 3);
        Assert.Equal(1, reopened.Count);
        reopened.AddRange([("c", Vector(3))]);

        var third = EmbeddingCache.Open(_dir, "m", 3);
        Assert.True(third.TryGet("a", out _));
        Assert.True(third.TryGet("c", out var c));
        Assert.Equal(Vector(3), c);
    }

    [Fact]
    public void Open_DamagedHeader_SetsFileAsideAndStartsAfresh()
    {
        var path = EmbeddingCache.Open(_dir, "m", 3).Path;
        File.WriteAllText(path, "garbage");

        var cache = EmbeddingCache.Open(_dir, "m", 3);
        cache.AddRange([("a", Vector(1))]);

        Assert.True(File.Exists(path + ".bad"));
        Assert.True(EmbeddingCache.Open(_dir, "m", 3).TryGet("a", out _));
    }

    [Fact]
    public void Open_WrongDimensions_IsNotMisread()
    {
        EmbeddingCache.Open(_dir, "m", 3).AddRange([("a", Vector(1))]);

        var cache = EmbeddingCache.Open(_dir, "m", 4);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task CachingGenerator_EmbedsOnlyUnseenTextsAndKeepsOrder()
    {
        var inner = new CountingGenerator();
        var generator = new CachingEmbeddingGenerator(inner, EmbeddingCache.Open(_dir, "counting", 3));

        var first = await generator.GenerateAsync(["a", "b", "a"]);
        var second = await generator.GenerateAsync(["b", "c", "a"]);

        Assert.Equal(["a", "b", "c"], inner.Embedded);
        Assert.Equal(first[0].Vector.ToArray(), first[2].Vector.ToArray());
        Assert.Equal(first[1].Vector.ToArray(), second[0].Vector.ToArray());
        Assert.Equal(CountingGenerator.VectorOf("c"), second[1].Vector.ToArray());
        Assert.Equal("counting", second[0].ModelId);
    }

    [Fact]
    public async Task CachingGenerator_SingleText_EmbeddedOnceAndNotWrittenToDisk()
    {
        var inner = new CountingGenerator();
        var generator = new CachingEmbeddingGenerator(inner, EmbeddingCache.Open(_dir, "counting", 3));

        await generator.GenerateAsync(["where is my parcel?"]);
        var again = await generator.GenerateAsync(["where is my parcel?"]);

        Assert.Equal(["where is my parcel?"], inner.Embedded);
        Assert.Equal(CountingGenerator.VectorOf("where is my parcel?"), again[0].Vector.ToArray());
        Assert.False(EmbeddingCache.Open(_dir, "counting", 3).TryGet("where is my parcel?", out _));
    }

    [Fact]
    public async Task UseDiskCache_SecondPipeline_ReadsFromDisk()
    {
        var inner = new CountingGenerator();
        var one = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseDiskCache(_dir).Build();
        await one.GenerateAsync(["x", "y"]);
        var two = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseDiskCache(_dir).Build();

        await two.GenerateAsync(["x", "y", "z"]);

        Assert.Equal(["x", "y", "z"], inner.Embedded);
    }

    private sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string> Embedded { get; } = [];

        public static float[] VectorOf(string text) => [text[0], text.Length, 1];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Embedded.AddRange(list);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(t => new Embedding<float>(VectorOf(t)))));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, "counting", 3) : null;

        public void Dispose()
        {
        }
    }
}
