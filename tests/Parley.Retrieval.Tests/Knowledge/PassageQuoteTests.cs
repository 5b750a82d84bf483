using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Tests.Knowledge;

public sealed class PassageQuoteTests
{
    private const string PanCare =
        "Stainless steel pans are dishwasher safe. Rainbow-coloured heat tints come off with a little diluted white vinegar. To prevent small pits, add salt to water only once it is boiling.\n\n" +
        "Non-stick pans last longest with low to medium heat, wooden or silicone utensils and hand washing. Do not use cooking sprays, which leave a sticky film. Northwind Home non-stick pans are oven safe up to 200 °C (390 °F). Replace a non-stick pan if the coating starts to flake.";

    private const string NextSteps =
        "Once we have your photos we reply within one business day.\n" +
        "- **Replacement:** we dispatch a replacement within 2 business days, with free shipping at the same speed as your original order.\n" +
        "- **Refund:** if you prefer a refund, or the item is out of stock, we refund the item in full, including its share of the shipping cost.\n" +
        "- **Keep it:** for small marks you may keep the item with a partial refund.";

    [Fact]
    public void Select_OneSentenceAnswers_QuotesItWithoutASentenceThatSharesOnlyACommonWord()
    {
        var quoted = Quote(PanCare, "can I put the stainless steel pan in the dishwasher?");

        Assert.Equal(["Stainless steel pans are dishwasher safe."], quoted);
    }

    [Fact]
    public void Select_QuestionWithTwoParts_QuotesTheSentenceOfEachInTextOrder()
    {
        var quoted = Quote(NextSteps, "the lid is dented, can you send a replacement or a refund?");

        Assert.Equal(2, quoted.Count);
        Assert.StartsWith("- **Replacement:**", quoted[0], StringComparison.Ordinal);
        Assert.StartsWith("- **Refund:**", quoted[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NoSentenceSharesATerm_QuotesNothing()
    {
        Assert.Empty(Quote(PanCare, "what are your opening hours?"));
    }

    [Fact]
    public void Select_SingleSentencePassage_QuotesNothingSoThePassageIsQuotedWhole()
    {
        Assert.Empty(Quote("Stainless steel pans are dishwasher safe.", "are stainless steel pans dishwasher safe?"));
    }

    private static List<string> Quote(string text, string question)
    {
        var passage = new KnowledgePassage("p", "care.md", "Care", "Pans", text, 0, text.Length);
        return [.. PassageQuote.Select(passage, question).Select(s => text.Substring(s.Start, s.Length))];
    }
}
