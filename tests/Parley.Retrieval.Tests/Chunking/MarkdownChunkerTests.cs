using Parley.Nlu.Tokenization;
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
    public void Chunk_Offsets_AreExactlyThePassageText()
    {
        foreach (var passage in MarkdownChunker.Chunk("shipping.md", Document))
        {
            Assert.Equal(passage.Text, Document.Substring(passage.Start, passage.Length));
        }
    }

    [Fact]
    public void Chunk_LinkReferenceAfterEmptyFencesAndHeading_DoesNotThrowAndOffsetsHold()
    {
        // Markdig gives the link reference definition group the span of the document's first block.
        const string markdown = "```\n```\n#### Example conversation\n```\n```\n[1]: https://example.com/library";

        var passages = MarkdownChunker.Chunk("library.md", markdown);

        Assert.All(passages, p => Assert.Equal(p.Text, markdown.Substring(p.Start, p.Length)));
        Assert.Equal("Example conversation", Assert.Single(passages, p => p.Text.Contains("[1]:", StringComparison.Ordinal)).Heading);
        Assert.True(passages.Zip(passages.Skip(1)).All(x => x.First.Start <= x.Second.Start));
    }

    [Fact]
    public void Chunk_ShortSection_StaysOnePassageWithItsListItems()
    {
        var passage = MarkdownChunker.Chunk("shipping.md", Document)[1];

        Assert.Equal("Standard: 2-4 days.\n\n- Express: next day\n- Economy: 5-8 days", passage.Text);
    }

    [Fact]
    public void Chunk_LongSection_NoPassageIsOverTheTokenLimitOfTheEncodersTokenizer()
    {
        var options = WordPiece(maxTokens: 60, overlapTokens: 10);
        var markdown = "# Care\n\n## Pans\n\n" + string.Join("\n\n", Enumerable.Range(0, 12).Select(Paragraph));

        var passages = MarkdownChunker.Chunk("care.md", markdown, options);

        Assert.True(passages.Count > 4, $"{passages.Count} passages");
        Assert.All(passages, p => Assert.True(Tokenizer.Tokenize(p.Text).Count <= 60, $"{Tokenizer.Tokenize(p.Text).Count} tokens: {p.Text}"));
        Assert.All(passages, p => Assert.Equal(p.Text, markdown.Substring(p.Start, p.Length)));
        Assert.All(passages, p => Assert.Equal("Care › Pans", p.Heading));
        Assert.Equal(passages.Count, passages.Select(p => p.Id).Distinct().Count());
        Assert.Equal("care.md#pans-2", passages[1].Id);
    }

    [Fact]
    public void Chunk_LongSection_CutsBetweenSentencesAndOverlapsByTheLastSentence()
    {
        var options = WordPiece(maxTokens: 60, overlapTokens: 20);
        var markdown = "# Care\n\n" + string.Join(" ", Enumerable.Range(0, 12).Select(Sentence));

        var passages = MarkdownChunker.Chunk("care.md", markdown, options);

        Assert.True(passages.Count > 2);
        Assert.All(passages, p => Assert.EndsWith(".", p.Text));
        for (var i = 1; i < passages.Count; i++)
        {
            var previous = passages[i - 1];
            var overlap = previous.Start + previous.Length - passages[i].Start;
            Assert.True(overlap > 0, $"passage {i} does not overlap the one before");
            var shared = markdown.Substring(passages[i].Start, overlap);
            Assert.True(Tokenizer.Tokenize(shared).Count <= 20, shared);
            Assert.EndsWith(shared, previous.Text);
            Assert.Matches(@"^Sentence \d+ ", passages[i].Text);
        }

        Assert.StartsWith("Sentence 0 ", passages[0].Text);
        Assert.EndsWith(Sentence(11), passages[^1].Text);
    }

    [Fact]
    public void Chunk_NoOverlap_PiecesFollowEachOtherAndCoverTheSection()
    {
        var options = WordPiece(maxTokens: 60, overlapTokens: 0);
        var body = string.Join(" ", Enumerable.Range(0, 12).Select(Sentence));

        var passages = MarkdownChunker.Chunk("care.md", "# Care\n\n" + body, options);

        Assert.True(passages.Count > 2);
        Assert.Equal(body, string.Join(" ", passages.Select(p => p.Text)));
    }

    [Fact]
    public void Chunk_ListItems_AreCutBetweenItemsNotInsideThem()
    {
        var options = WordPiece(maxTokens: 60, overlapTokens: 0);
        var items = Enumerable.Range(0, 10).Select(i => $"- Item {i}: wash by hand in warm soapy water and dry straight away.").ToArray();

        var passages = MarkdownChunker.Chunk("care.md", "# Care\n\n" + string.Join("\n", items), options);

        Assert.True(passages.Count > 1);
        Assert.All(passages, p => Assert.All(p.Text.Split('\n'), line => Assert.Contains(line, items)));
        Assert.Equal(items, passages.SelectMany(p => p.Text.Split('\n')));
    }

    [Fact]
    public void Chunk_WordLongerThanTheLimit_IsCutToFit()
    {
        var options = WordPiece(maxTokens: 20, overlapTokens: 0);
        var markdown = "# Codes\n\nYour code is " + string.Concat(Enumerable.Range(0, 30).Select(i => $"x{i}-")) + " today.";

        var passages = MarkdownChunker.Chunk("codes.md", markdown, options);

        Assert.All(passages, p => Assert.True(Tokenizer.Tokenize(p.Text).Count <= 20, p.Text));
        Assert.All(passages, p => Assert.Equal(p.Text, markdown.Substring(p.Start, p.Length)));
    }

    [Fact]
    public void Chunk_DefaultEstimate_OverCountsWordPieces()
    {
        var text = string.Join(" ", Enumerable.Range(0, 12).Select(Paragraph));

        Assert.True(ChunkingOptions.EstimateTokens(text) >= Tokenizer.Tokenize(text).Count);
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(60, 30)]
    [InlineData(60, -1)]
    public void Chunk_InvalidOptions_Throw(int maxTokens, int overlapTokens) =>
        Assert.ThrowsAny<ArgumentException>(() => MarkdownChunker.Chunk("a.md", "text", new ChunkingOptions { MaxTokens = maxTokens, OverlapTokens = overlapTokens }));

    private static readonly BertWordPieceTokenizer Tokenizer = BertWordPieceTokenizer.CreateMiniLm();

    private static ChunkingOptions WordPiece(int maxTokens, int overlapTokens) => new()
    {
        MaxTokens = maxTokens,
        OverlapTokens = overlapTokens,
        CountTokens = text => Tokenizer.Tokenize(text).Count,
        CounterName = "wordpiece",
    };

    private static string Sentence(int i) => $"Sentence {i} says that enamelled cast iron should warm up slowly over a low heat.";

    private static string Paragraph(int i) => $"Paragraph {i}. Season the skillet with a thin layer of oil after washing. Never soak it overnight, or it will rust.";

    [Fact]
    public void Chunk_YamlFrontMatter_GivesTheTitleAndIsNoPassage()
    {
        const string markdown = """
            ---
            title: "Returns & refunds"
            tags: [policy, returns]
            ---
            # Returns

            Send it back within 30 days.
            """;

        var passage = Assert.Single(MarkdownChunker.Chunk("returns.md", markdown));

        Assert.Equal("Returns & refunds", passage.Title);
        Assert.Equal("Returns", passage.Heading);
        Assert.Equal("Send it back within 30 days.", passage.Text.Trim());
        Assert.DoesNotContain("tags", passage.Text);
    }

    [Fact]
    public void Chunk_FrontMatterWithoutTitle_FallsBackToTheFirstHeading()
    {
        var passages = MarkdownChunker.Chunk("shipping.md", "---\nlayout: page\n---\n" + Document);

        Assert.All(passages, p => Assert.Equal("Shipping", p.Title));
        Assert.DoesNotContain(passages, p => p.Text.Contains("layout", StringComparison.Ordinal) || p.Heading.Contains("layout", StringComparison.Ordinal));
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
