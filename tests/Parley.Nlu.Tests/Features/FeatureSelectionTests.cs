using Parley.Nlu.Features;

namespace Parley.Nlu.Tests.Features;

public sealed class FeatureSelectionTests
{
    private static readonly FeaturizerSettings Auto = new() { Kind = FeaturizerSettings.Auto };

    [Fact]
    public void Resolve_English_ChoosesEmbeddings()
    {
        var (settings, reason) = FeatureSelection.Resolve(Auto, ["where is my order?", "book a table for two"]);

        Assert.Equal(new FeaturizerSettings(), settings);
        Assert.Contains("Latin", reason);
    }

    [Fact]
    public void Resolve_ChineseWithLatinBrandNames_ChoosesCharNGramsOfOneAndTwoCharacters()
    {
        var (settings, reason) = FeatureSelection.Resolve(Auto, ["可以用PayPal吗", "我的订单到哪了", "支持微信支付吗"]);

        Assert.Equal(FeaturizerSettings.CharNGrams, settings.Kind);
        Assert.Equal((1, 2), (settings.NGramMin, settings.NGramMax));
        Assert.Contains(FeaturizerSettings.CharNGrams, reason);
    }

    [Theory]
    [InlineData("Где мой заказ?")]
    [InlineData("注文はどこですか")]
    [InlineData("주문이 어디에 있나요")]
    public void Resolve_OtherScripts_ChoosesCharNGrams(string text)
    {
        Assert.Equal(FeaturizerSettings.CharNGrams, FeatureSelection.Resolve(Auto, [text]).Settings.Kind);
    }

    [Fact]
    public void Resolve_ExplicitKind_IsKept()
    {
        var combined = new FeaturizerSettings { Kind = FeaturizerSettings.Combined };

        Assert.Same(combined, FeatureSelection.Resolve(combined, ["我的订单到哪了"]).Settings);
    }

    [Fact]
    public void LatinShare_AccentsCountAsLatinAndDigitsAreNotLetters()
    {
        Assert.Equal(1, FeatureSelection.LatinShare(["Café naïve 123", "¿dónde está?"]));
        Assert.Equal(1, FeatureSelection.LatinShare(["123 !?"]));
        Assert.Equal(0.5, FeatureSelection.LatinShare(["ab", "订单"]));
    }

    [Fact]
    public void Create_Auto_SaysToResolveFirst()
    {
        var e = Assert.Throws<ArgumentException>(() => FeaturizerFactory.Create(Auto, null));

        Assert.Contains("FeatureSelection.Resolve", e.Message);
    }
}
