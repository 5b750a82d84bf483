using Parley.Bots.Intents;

namespace Parley.Bots.Tests.Intents;

public sealed class ChineseVocabularyTests
{
    private static readonly ChineseVocabulary Shop = ChineseVocabulary.Create(["运费怎么算", "今天下单什么时候发货", "支持分期付款吗", "退货流程是怎样的"]);

    [Fact]
    public void UnknownWords_AWordNoTextUses_IsNamed()
    {
        Assert.Equal(["天气"], Shop.UnknownWords("今天天气怎么样"));
    }

    [Theory]
    [InlineData("退货流程怎样")] // every word occurs in the texts
    [InlineData("能分期吗")] // 分期 is a substring of 分期付款: a different cut does not matter
    [InlineData("怎么样呢")] // question and function words do not count
    [InlineData("可以用PayPal付吗")] // nor do Latin letters or single characters
    public void UnknownWords_WordsTheTextsUseOrWordsThatSayNothing_AreNone(string message)
    {
        Assert.Empty(Shop.UnknownWords(message));
    }

    [Fact]
    public void UnknownWords_EachWordOnce_InTheMessagesOrder()
    {
        Assert.Equal(["股市", "电影"], Shop.UnknownWords("股市和电影，股市"));
    }
}
