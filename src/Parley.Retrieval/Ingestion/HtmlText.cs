using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Retrieval.Ingestion;

/// <summary>
/// Turns HTML into Markdown by its structure: <c>&lt;h1&gt;</c>–<c>&lt;h6&gt;</c> become headings, paragraphs,
/// list items, table rows and line breaks become separate lines, every other tag is dropped and entities are
/// decoded. Script, style, head and comments are removed. It never fails on malformed markup: unclosed or stray
/// tags are simply dropped.
/// </summary>
public static partial class HtmlText
{
    /// <summary>Converts <paramref name="html"/> to Markdown text.</summary>
    /// <exception cref="InvalidDataException">The document has no text.</exception>
    public static string ToMarkdown(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = HiddenRegex().Replace(html, " ");
        text = HeadingRegex().Replace(text, m =>
            $"\n\n{new string('#', m.Groups["level"].Value[0] - '0')} {Inline(m.Groups["text"].Value)}\n\n");
        text = ListItemRegex().Replace(text, "\n\n- ");
        text = BlockRegex().Replace(text, "\n\n");
        text = Inline(text, keepLines: true);

        var builder = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 || (builder.Length > 0 && !EndsWithBlankLine(builder)))
            {
                builder.Append(trimmed).Append('\n');
            }
        }

        var markdown = builder.ToString().Trim();
        return markdown.Length == 0 ? throw new InvalidDataException("the HTML has no text") : markdown + "\n";
    }

    private static bool EndsWithBlankLine(StringBuilder builder) =>
        builder.Length >= 2 && builder[^1] == '\n' && builder[^2] == '\n';

    private static string Inline(string html, bool keepLines = false)
    {
        var text = TagRegex().Replace(html, keepLines ? string.Empty : " ");
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');
        return keepLines ? SpacesRegex().Replace(text, " ") : WhitespaceRegex().Replace(text, " ").Trim();
    }

    // Unclosed <script> or <style> runs to the end: better to lose the tail than to index code.
    [GeneratedRegex(@"<!--.*?(?:-->|\z)|<(script|style|head|template|noscript)\b.*?(?:</\1\s*>|\z)|<!DOCTYPE[^>]*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HiddenRegex();

    [GeneratedRegex(@"<h(?<level>[1-6])\b[^>]*>(?<text>.*?)(?:</h\k<level>\s*>|(?=</?(?:h[1-6]|p|div|section|article|ul|ol|li|table|br)\b)|\z)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItemRegex();

    [GeneratedRegex(@"</?(?:p|div|section|article|main|header|footer|nav|aside|ul|ol|li|table|thead|tbody|tr|blockquote|pre|dl|dt|dd|figure|figcaption|br|hr|body|html)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockRegex();

    [GeneratedRegex(@"<[^>]*>|<[^>]*\z")]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"[ \t\r\f\v]+")]
    private static partial Regex SpacesRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
