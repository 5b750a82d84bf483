using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Routing;

namespace Parley.Bots.Tests.Routing;

public sealed class FallbackChatClientTests
{
    private const string English = "I'm sorry, I don't know the answer to that.";

    [Theory]
    [InlineData("where is my order", BotLanguages.English)]
    [InlineData("我的订单到哪里了？", BotLanguages.Chinese)]
    [InlineData("可以用PayPal付款吗", BotLanguages.Chinese)]
    [InlineData("¿Dónde está mi pedido?", BotLanguages.English)]
    [InlineData("注文はどこですか", null)]
    [InlineData("주문은 어디에 있나요", null)]
    [InlineData("где мой заказ", null)]
    [InlineData("hello", null)]
    [InlineData("12345 ?!", null)]
    public void Detect_Message_NamesItsLanguageOnlyWhenPlain(string text, string? expected) =>
        Assert.Equal(expected, BotLanguages.Detect(text));

    [Fact]
    public async Task GetResponseAsync_ChineseMessageToAnEnglishBot_SaysInChineseThatItUnderstandsEnglish()
    {
        using var client = new FallbackChatClient(English, BotLanguages.English);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "你们周末营业吗？")]);

        Assert.Equal("抱歉，我只能理解和回答英文的问题。\n\n" + English, response.Text);
        Assert.Equal(BotRoutes.Fallback, BotReplyInfo.From(response.AdditionalProperties).Route);
    }

    [Fact]
    public async Task GetResponseAsync_EnglishMessageToAChineseBot_SaysInEnglishThatItUnderstandsChinese()
    {
        using var client = new FallbackChatClient("抱歉，这个问题我回答不了。", BotLanguages.Chinese);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "do you ship to Canada")]);

        Assert.Equal("Sorry, I can only understand and answer questions in Chinese.\n\n抱歉，这个问题我回答不了。", response.Text);
    }

    [Theory]
    [InlineData(BotLanguages.English, "what is the meaning of life")]
    [InlineData(null, "你们周末营业吗？")]
    [InlineData(BotLanguages.English, "注文はどこですか")]
    public async Task GetResponseAsync_MessageInThePacksLanguageOrUnknown_IsTheFallbackAlone(string? language, string text)
    {
        using var client = new FallbackChatClient(English, language);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, text)]);

        Assert.Equal(English, response.Text);
    }
}
