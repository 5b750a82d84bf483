using Parley.Nlu.Features;

namespace Parley.Nlu.Tests.Features;

public sealed class CombinedFeaturizerTests
{
    [Fact]
    public async Task FeaturizeAsync_Texts_ConcatenatesEmbeddingAndWeightedNGrams()
    {
        var settings = new FeaturizerSettings { Kind = FeaturizerSettings.Combined, HashBits = 6, NGramWeight = 0.25f };
        var embeddings = new EmbeddingFeaturizer(new FakeEmbeddingGenerator(), settings);
        var ngrams = new CharNGramFeaturizer(settings);
        var combined = new CombinedFeaturizer(embeddings, ngrams, settings);
        string[] texts = ["banana", "kiwi"];

        var vectors = await combined.FeaturizeAsync(texts);

        Assert.Equal(3 + 64, combined.Dimensions);
        var expectedEmbeddings = await embeddings.FeaturizeAsync(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expectedEmbeddings[i], vectors[i][..3]);
            Assert.Equal(ngrams.Featurize(texts[i]).Select(v => v * 0.25f), vectors[i][3..]);
        }
    }

    [Fact]
    public void Ctor_NegativeWeight_Throws()
    {
        var settings = new FeaturizerSettings { NGramWeight = -1 };

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new CombinedFeaturizer(new EmbeddingFeaturizer(new FakeEmbeddingGenerator()), new CharNGramFeaturizer(settings), settings));
    }
}
