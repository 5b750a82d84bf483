using System.Numerics.Tensors;
using Parley.Nlu.Features;

namespace Parley.Nlu.Tests.Features;

public sealed class CharNGramFeaturizerTests
{
    private readonly CharNGramFeaturizer _featurizer = new(new FeaturizerSettings { Kind = FeaturizerSettings.CharNGrams });

    [Fact]
    public void Dimensions_DefaultSettings_Is4096()
    {
        Assert.Equal(4_096, _featurizer.Dimensions);
    }

    [Fact]
    public void Featurize_Word_CountsPaddedNGramsWithSublinearWeights()
    {
        var featurizer = new CharNGramFeaturizer(new FeaturizerSettings { NGramMin = 2, NGramMax = 2, HashBits = 20 });

        // " aaa " has the bigrams " a", "aa" (twice), "a ": weights 1, 1 + ln 2, 1 before normalisation.
        var vector = featurizer.Featurize("aaa");

        var weights = vector.Where(v => v != 0).Order().ToArray();
        var norm = MathF.Sqrt(1 + 1 + ((1 + MathF.Log(2)) * (1 + MathF.Log(2))));
        Assert.Equal(3, weights.Length);
        Assert.Equal(1 / norm, weights[0], 5);
        Assert.Equal(1 / norm, weights[1], 5);
        Assert.Equal((1 + MathF.Log(2)) / norm, weights[2], 5);
    }

    [Fact]
    public void Featurize_Unigrams_LeaveOutThePadding()
    {
        var featurizer = new CharNGramFeaturizer(new FeaturizerSettings { NGramMin = 1, NGramMax = 1, HashBits = 20 });

        // "谢谢 你" has the unigrams 谢 (twice) and 你; the padding spaces are no feature.
        var weights = featurizer.Featurize("谢谢 你").Where(v => v != 0).Order().ToArray();

        Assert.Equal(2, weights.Length);
        Assert.Equal(1 / (1 + MathF.Log(2)), weights[0] / weights[1], 5);
    }

    [Fact]
    public void Featurize_CaseAndWidthVariants_AreEqual()
    {
        // NFKC folds full-width letters; lower-casing folds case; runs of whitespace do not matter.
        Assert.Equal(_featurizer.Featurize("book a table"), _featurizer.Featurize("ＢＯＯＫ  a\tTable"));
    }

    [Fact]
    public void Featurize_Chinese_SharedCharactersMakeSimilarVectors()
    {
        var park = _featurizer.Featurize("我们去公园");
        var parkToo = _featurizer.Featurize("我想去公园玩");
        var weather = _featurizer.Featurize("明天天气怎么样");

        Assert.Equal(1f, TensorPrimitives.Norm(park), 5);
        Assert.True(TensorPrimitives.Dot(park, parkToo) > TensorPrimitives.Dot(park, weather) + 0.2f);
    }

    [Fact]
    public void Featurize_SameText_IsStableAcrossInstances()
    {
        var other = new CharNGramFeaturizer(new FeaturizerSettings());

        var vector = _featurizer.Featurize("where is my parcel");
        Assert.Equal(vector, other.Featurize("where is my parcel"));

        // FNV-1a is fixed, unlike string.GetHashCode: the bucket of " w" is the same in every process.
        var single = new CharNGramFeaturizer(new FeaturizerSettings { NGramMin = 2, NGramMax = 2, HashBits = 8 }).Featurize("w");
        Assert.Equal(2, single.Count(v => v != 0));
        Assert.NotEqual(0, single[ExpectedBucket(" w", 8)]);
        Assert.NotEqual(0, single[ExpectedBucket("w ", 8)]);
    }

    [Fact]
    public void Featurize_Emoji_KeepsSurrogatePairsWhole()
    {
        var featurizer = new CharNGramFeaturizer(new FeaturizerSettings { NGramMin = 1, NGramMax = 1, HashBits = 20 });

        // " 👍 " has one unigram, "👍" (the padding is none): one bucket, not one per surrogate.
        Assert.Equal(1, featurizer.Featurize("👍").Count(v => v != 0));
    }

    [Fact]
    public void Featurize_Empty_IsZero()
    {
        Assert.All(_featurizer.Featurize("   "), v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task FeaturizeAsync_Texts_ReportsProgressAndKeepsOrder()
    {
        var reports = new List<int>();
        string[] texts = ["hello", "bonjour", "你好"];

        var vectors = await _featurizer.FeaturizeAsync(texts, new Progress(reports));

        Assert.Equal(texts.Select(_featurizer.Featurize), vectors);
        Assert.Equal(3, reports[^1]);
    }

    [Theory]
    [InlineData(0, 4, 14)]
    [InlineData(3, 2, 14)]
    [InlineData(2, 4, 25)]
    public void Ctor_InvalidSettings_Throws(int min, int max, int bits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new CharNGramFeaturizer(new FeaturizerSettings { NGramMin = min, NGramMax = max, HashBits = bits }));
    }

    private static int ExpectedBucket(string gram, int bits)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.Unicode.GetBytes(gram))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & ((1u << bits) - 1));
    }

    private sealed class Progress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
