using Parley.Bots.Packs;

namespace Parley.Bots.Tests.Packs;

/// <summary>Rule phrases forgive typos the way people make them in a hurry, without firing on near-words.</summary>
public sealed class RulePatternsTypoTests
{
    private readonly RulePatterns _patterns = new(["chest pain", "can't breathe", "dose", "胸痛"], []);

    [Theory]
    [InlineData("i hav realy bad chest pian", "chest pian")]
    [InlineData("CHEST PAINN since this morning", "CHEST PAINN")]
    [InlineData("help i cant breathe", "cant breathe")]
    [InlineData("my dad can't breath", "can't breath")]
    public void Find_MultiWordPhraseWithATypo_Matches(string text, string expected) =>
        Assert.Equal(expected, _patterns.Find(text)?.Value);

    [Theory]
    [InlineData("how does booking work")]
    [InlineData("chset pian")]
    [InlineData("the main chest of drawers")]
    [InlineData("my chest is fine, i need a repeat prescription")]
    public void Find_NearWordsOnly_DoesNotMatch(string text) =>
        Assert.Null(_patterns.Find(text));

    [Fact]
    public void Find_ExactPhrases_StillMatch()
    {
        Assert.Equal("dose", _patterns.Find("what dose should I take")?.Value);
        Assert.Equal("胸痛", _patterns.Find("我胸痛")?.Value);
    }
}
