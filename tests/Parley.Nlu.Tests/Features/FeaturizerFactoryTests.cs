using Parley.Nlu.Features;

namespace Parley.Nlu.Tests.Features;

public sealed class FeaturizerFactoryTests
{
    [Theory]
    [InlineData(FeaturizerSettings.Embeddings, typeof(EmbeddingFeaturizer), 3)]
    [InlineData(FeaturizerSettings.CharNGrams, typeof(CharNGramFeaturizer), 1024)]
    [InlineData(FeaturizerSettings.Combined, typeof(CombinedFeaturizer), 1027)]
    public void Create_Kind_BuildsThatFeaturizerWithTheSettings(string kind, Type expectedType, int dimensions)
    {
        var settings = new FeaturizerSettings { Kind = kind, EmbeddingModel = "fake-model", HashBits = 10 };

        var featurizer = FeaturizerFactory.Create(settings, new FakeEmbeddingGenerator());

        Assert.IsType(expectedType, featurizer);
        Assert.Same(settings, featurizer.Settings);
        Assert.Equal(dimensions, featurizer.Dimensions);
    }

    [Fact]
    public void Create_UnknownKind_ThrowsNamingTheKinds()
    {
        var error = Assert.Throws<ArgumentException>(() => FeaturizerFactory.Create(new FeaturizerSettings { Kind = "bag-of-words" }, null));

        Assert.Contains("bag-of-words", error.Message);
        Assert.Contains(FeaturizerSettings.CharNGrams, error.Message);
    }

    [Fact]
    public void Create_EmbeddingsWithoutGenerator_Throws()
    {
        Assert.Throws<ArgumentException>(() => FeaturizerFactory.Create(new FeaturizerSettings(), null));
    }

    [Fact]
    public void Create_CharNGramsWithoutGenerator_Works()
    {
        Assert.IsType<CharNGramFeaturizer>(FeaturizerFactory.Create(new FeaturizerSettings { Kind = FeaturizerSettings.CharNGrams }, null));
    }

    [Fact]
    public void Create_GeneratorOfAnotherModel_Throws()
    {
        var settings = new FeaturizerSettings { Kind = FeaturizerSettings.Embeddings, EmbeddingModel = "all-MiniLM-L6-v2" };

        var error = Assert.Throws<ArgumentException>(() => FeaturizerFactory.Create(settings, new FakeEmbeddingGenerator("other-model")));
        Assert.Contains("other-model", error.Message);
    }
}
