using System.Globalization;
using System.Text;
using UglyToad.PdfPig;

namespace Parley.Retrieval.Ingestion;

/// <summary>Extracts the text of a PDF with PdfPig, one section per page (headed "Page N").</summary>
public static class PdfText
{
    /// <summary>Converts the PDF in <paramref name="pdf"/> to Markdown text.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable PDF or has no text (a scanned PDF needs OCR first).</exception>
    public static string ToMarkdown(byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var builder = new StringBuilder();
        try
        {
            using var document = PdfDocument.Open(pdf);
            foreach (var page in document.GetPages())
            {
                var words = page.GetWords().Select(w => w.Text).ToArray();
                if (words.Length > 0)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"## Page {page.Number}\n\n").AppendJoin(' ', words).Append("\n\n");
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            throw new InvalidDataException($"it is not a readable PDF ({e.Message})", e);
        }

        return builder.Length == 0 ? throw new InvalidDataException("the PDF has no text layer (scanned pages need OCR first)") : builder.ToString();
    }
}
