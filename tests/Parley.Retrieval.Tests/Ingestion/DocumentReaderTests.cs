using System.Text;
using Parley.Retrieval.Ingestion;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Parley.Retrieval.Tests.Ingestion;

public sealed class DocumentReaderTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Read_Mdx_StripsImportsTagsAndExpressionsButKeepsText()
    {
        const string mdx = "import { Note } from './note'\n\n# Returns\n\n<Note type=\"info\">\n  Refunds take {days} five days.\n</Note>\n\n<Tabs items={['a', 'b']} />\n\nSee <https://example.com>.\n";

        var passage = Assert.Single(DocumentReader.Read("returns.mdx", Utf8(mdx)));

        Assert.Equal("Returns", passage.Title);
        Assert.Contains("Refunds take  five days.", passage.Text);
        Assert.Contains("<https://example.com>", passage.Text);
        Assert.DoesNotContain("Note", passage.Text);
        Assert.DoesNotContain("Tabs", passage.Text);
        Assert.DoesNotContain("import", passage.Text);
    }

    [Fact]
    public void Read_Html_HeadingsBecomeTheHeadingPathAndScriptsAreDropped()
    {
        const string html = "<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>"
            + "<h1>Shipping</h1><p>We ship &amp; deliver.</p><script>alert('no')</script>"
            + "<h2>Costs</h2><ul><li>Standard: 5 &euro;</li><li>Express: 10 &euro;</li></ul></body></html>";

        var passages = DocumentReader.Read("shipping.html", Utf8(html));

        Assert.Equal(["Shipping", "Shipping › Costs"], passages.Select(p => p.Heading).ToArray());
        Assert.All(passages, p => Assert.Equal("Shipping", p.Title));
        Assert.Equal("We ship & deliver.", passages[0].Text);
        Assert.Contains("- Standard: 5 €", passages[1].Text);
        Assert.DoesNotContain("alert", string.Concat(passages.Select(p => p.Text)));
    }

    [Fact]
    public void Read_MalformedHtml_StillYieldsItsText()
    {
        const string html = "<h1>Opening hours<p>Open <b>daily from 9 <i>to 5<div class=\"x";

        var passages = DocumentReader.Read("hours.htm", Utf8(html));

        Assert.Equal("Opening hours", passages[0].Title);
        Assert.Contains("Open daily from 9 to 5", passages[0].Text);
    }

    [Fact]
    public void Read_HtmlWithoutText_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => DocumentReader.Read("empty.html", Utf8("<html><script>x()</script></html>")));
    }

    [Fact]
    public void Read_FaqJsonl_OnePassagePerPairWithTheQuestionAsHeading()
    {
        const string jsonl = "{\"question\": \"Can I pay by PayPal?\", \"answer\": \"Yes, at checkout.\"}\n\n{\"question\": \"Do you ship abroad?\", \"answer\": \"To the EU only.\", \"tags\": [\"x\"]}\n";

        var passages = DocumentReader.Read("faq/pay.jsonl", Utf8(jsonl));

        Assert.Equal(2, passages.Count);
        Assert.Equal("Can I pay by PayPal?", passages[0].Heading);
        Assert.Equal("Yes, at checkout.", passages[0].Text);
        Assert.Equal("faq/pay.jsonl#can-i-pay-by-paypal", passages[0].Id);
        Assert.Equal(jsonl.IndexOf("{\"question\": \"Do", StringComparison.Ordinal), passages[1].Start);
        Assert.Equal(jsonl.Split('\n')[2].Length, passages[1].Length);
    }

    [Fact]
    public void Read_FaqJsonlWithABadLine_ThrowsNamingTheLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => DocumentReader.Read("faq.jsonl", Utf8("{\"question\": \"a\", \"answer\": \"b\"}\n{\"question\": \"only\"}\n")));

        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Read_Pdf_GivesOneSectionPerPage()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText("Warranty lasts two years.", 12, new PdfPoint(25, 700), font);
        builder.AddPage(PageSize.A4).AddText("Repairs are free.", 12, new PdfPoint(25, 700), font);

        var passages = DocumentReader.Read("warranty.pdf", builder.Build());

        Assert.Equal(["Page 1", "Page 2"], passages.Select(p => p.Heading).ToArray());
        Assert.Equal("Warranty lasts two years.", passages[0].Text);
        Assert.Equal("Repairs are free.", passages[1].Text);
    }

    [Fact]
    public void Read_CorruptPdf_ThrowsInvalidDataSayingWhy()
    {
        var e = Assert.Throws<InvalidDataException>(() => DocumentReader.Read("broken.pdf", "%PDF-1.7 garbage"u8));

        Assert.Contains("not a readable PDF", e.Message);
    }

    [Fact]
    public void Read_InvalidUtf8_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => DocumentReader.Read("latin1.md", [0x43, 0x61, 0x66, 0xE9, 0x20, 0x0A]));
    }
}
