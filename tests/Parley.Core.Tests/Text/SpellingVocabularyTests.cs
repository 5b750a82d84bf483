using Parley.Core.Text;

namespace Parley.Core.Tests.Text;

public sealed class SpellingVocabularyTests
{
    private static readonly SpellingVocabulary Vocabulary = SpellingVocabulary.Create(
    [
        "does the warranty cover dishwasher damage", "how do I return an item", "thanks for the help",
        "Cast iron pans and skillets are not dishwasher safe.",
    ]);

    [Theory]
    [InlineData("how do i retrun an item")]      // a swap
    [InlineData("thanks fo the help")]           // a short word one letter short: too ambiguous to correct, still a typo
    [InlineData("does the warrantty cover it")]  // a doubled letter
    public void HasMisspelling_WordOneEditFromAKnownOne_True(string message) =>
        Assert.True(Vocabulary.HasMisspelling(message));

    [Theory]
    [InlineData("are cast iron skillets dishwasher safe")]   // every word known, however close to an example
    [InlineData("the cast iron skillet")]                    // a singular of a known plural
    [InlineData("xyzzy quux")]                               // unknown words, but nothing they could be a typo of
    [InlineData("")]
    public void HasMisspelling_KnownOrUnrelatedWords_False(string message) =>
        Assert.False(Vocabulary.HasMisspelling(message));

    [Fact]
    public void Correct_ShortWordOneEditAway_LeftAsWritten() =>
        Assert.Null(Vocabulary.Correct("thanks fo the help"));
}
