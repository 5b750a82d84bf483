using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Chunking;

/// <summary>
/// Splits a Markdown document into passages by its headings: each section (a heading and the blocks up to
/// the next heading) becomes one passage, and a section longer than <see cref="MaxChars"/> is split between blocks.
/// </summary>
public static partial class MarkdownChunker
{
    /// <summary>The largest passage, in characters, before a section is split between its blocks.</summary>
    public const int MaxChars = 1500;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    /// <summary>Splits <paramref name="markdown"/> into passages.</summary>
    /// <param name="source">The document's path relative to the knowledge folder (used in ids and citations).</param>
    /// <param name="markdown">The document text.</param>
    public static IReadOnlyList<KnowledgePassage> Chunk(string source, string markdown)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        var title = document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1) is { } h1
            ? InlineText(markdown, h1)
            : Path.GetFileNameWithoutExtension(source);

        var passages = new List<KnowledgePassage>();
        var headings = new List<(int Level, string Text)>();
        var blocks = new List<Block>();
        var ids = new HashSet<string>(StringComparer.Ordinal);

        void Flush()
        {
            if (blocks.Count == 0)
            {
                return;
            }

            var heading = string.Join(" › ", headings.Select(x => x.Text));
            foreach (var (start, end) in Group(blocks))
            {
                var text = markdown[start..end].Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                var slug = Slug(headings.Count > 0 ? headings[^1].Text : "intro");
                var id = $"{source}#{slug}";
                for (var n = 2; !ids.Add(id); n++)
                {
                    id = $"{source}#{slug}-{n}";
                }

                passages.Add(new KnowledgePassage(id, source, title, heading, text, start, end - start));
            }

            blocks.Clear();
        }

        foreach (var block in document)
        {
            if (block is HeadingBlock heading)
            {
                Flush();
                headings.RemoveAll(x => x.Level >= heading.Level);
                headings.Add((heading.Level, InlineText(markdown, heading)));
                continue;
            }

            blocks.Add(block);
        }

        Flush();
        return passages;
    }

    private static IEnumerable<(int Start, int End)> Group(List<Block> blocks)
    {
        var start = blocks[0].Span.Start;
        var end = blocks[0].Span.End + 1;
        foreach (var block in blocks.Skip(1))
        {
            if (block.Span.End + 1 - start > MaxChars)
            {
                yield return (start, end);
                start = block.Span.Start;
            }

            end = block.Span.End + 1;
        }

        yield return (start, end);
    }

    private static string InlineText(string markdown, HeadingBlock heading)
    {
        var raw = markdown.Substring(heading.Span.Start, heading.Span.Length);
        return raw.TrimStart('#', ' ').Trim().TrimEnd('#').Trim();
    }

    /// <summary>Turns a heading into a lowercase, dash-separated id fragment.</summary>
    public static string Slug(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            builder.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        var slug = WhitespaceRegex().Replace(builder.ToString().Trim(), "-");
        return slug.Length == 0 ? "section" : slug;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
