using Parley.Retrieval.Chunking;

namespace Parley.Retrieval.Tests.Chunking;

public sealed class MarkdownChunkerTests
{
    private const string Document = """
        # Shipping

        We ship from Rotterdam.

        ## Delivery times

        Standard: 2-4 days.

        - Express: next day
        - Economy: 5-8 days

        ## Costs

        ### EU

        Free over €50.

        ### UK

        £4.95.
        """;

    [Fact]
    public void Chunk_Sections_BecomePassagesWithHeadingPaths()
    {
        var passages = MarkdownChunker.Chunk("shipping.md", Document);

        Assert.Equal(["shipping.md#shipping", "shipping.md#delivery-times", "shipping.md#eu", "shipping.md#uk"], passages.Select(p => p.Id));
        Assert.All(passages, p => Assert.Equal("Shipping", p.Title));
        Assert.Equal("Shipping › Delivery times", passages[1].Heading);
        Assert.Equal("Shipping › Costs › EU", passages[2].Heading);
        Assert.Contains("Economy: 5-8 days", passages[1].Text);
    }

    [Fact]
    public void Chunk_Offsets_PointAtThePassageInTheDocument()
    {
        foreach (var passage in MarkdownChunker.Chunk("shipping.md", Document))
        {
            Assert.Equal(passage.Text, Document.Substring(passage.Start, passage.Length).Trim());
        }
    }

    [Fact]
    public void Chunk_LongSection_IsSplitBetweenBlocksWithUniqueIds()
    {
        var paragraphs = string.Join("\n\n", Enumerable.Range(0, 12).Select(i => $"Paragraph {i} " + new string('x', 300)));
        var passages = MarkdownChunker.Chunk("long.md", "# Long\n\n## Part\n\n" + paragraphs);

        Assert.True(passages.Count > 1);
        Assert.All(passages, p => Assert.True(p.Length <= MarkdownChunker.MaxChars, $"{p.Length}"));
        Assert.Equal(passages.Count, passages.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Chunk_NoHeading_UsesFileNameAsTitle()
    {
        var passage = Assert.Single(MarkdownChunker.Chunk("notes/faq.txt", "Just some text."));

        Assert.Equal("faq", passage.Title);
        Assert.Equal("", passage.Heading);
    }

    [Theory]
    [InlineData("Delivery times", "delivery-times")]
    [InlineData("  What's new? ", "what-s-new")]
    [InlineData("!!!", "section")]
    public void Slug_Heading_IsLowercaseDashed(string heading, string expected) =>
        Assert.Equal(expected, MarkdownChunker.Slug(heading));
}
