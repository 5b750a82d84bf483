using Parley.Core.Text;

namespace Parley.Core.Tests.Text;

public sealed class ChineseHomophonesTests
{
    private static readonly ChineseHomophones Examples = ChineseHomophones.Create(["运费怎么算", "我要退货", "你们支持保价吗", "包裹到哪了"]);

    [Theory]
    [InlineData('费', "fei")]
    [InlineData('废', "fei")]
    [InlineData('货', "huo")]
    [InlineData('价', "jia")]
    public void Syllable_CommonCharacters_TonelessPinyin(char c, string syllable) => Assert.Equal(syllable, ChineseHomophones.Syllable(c));

    [Fact]
    public void Syllable_NotHan_IsNull() => Assert.Null(ChineseHomophones.Syllable('a'));

    [Theory]
    [InlineData("运废怎么算", "运费怎么算")] // 废 (fei) makes no pair the examples use; 费 makes 运费 and 费怎
    [InlineData("我要退火", "我要退货")]
    [InlineData("你们支持保家吗", "你们支持保价吗")]
    [InlineData("我的苞裹呢", "我的包裹呢")]
    public void Correct_HomophoneTypo_BecomesTheExamplesCharacter(string typo, string corrected) => Assert.Equal(corrected, Examples.Correct(typo));

    [Theory]
    [InlineData("运费怎么算")] // as the examples write it
    [InlineData("今天天气怎么样")] // nothing of the same sound makes a pair the examples use
    [InlineData("废")] // no neighbour to judge by
    [InlineData("where is my parcel")]
    [InlineData("")]
    public void Correct_NothingToCorrect_IsNull(string text) => Assert.Null(Examples.Correct(text));

    [Fact]
    public void SameSyllable_ACharacter_ItsHomophonesWithItself()
    {
        var fei = ChineseHomophones.SameSyllable('费');

        Assert.Contains('费', fei);
        Assert.Contains('废', fei);
        Assert.Contains('飞', fei);
        Assert.DoesNotContain('货', fei);
        Assert.Equal("", ChineseHomophones.SameSyllable('x'));
    }
}
