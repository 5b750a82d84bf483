using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Chunking;

/// <summary>
/// Splits a Markdown document into passages by its structure: each section (a heading and the blocks up to the next
/// heading) becomes one passage when it fits the token limit; a longer section is cut between its blocks (paragraphs,
/// list items, tables), a block that does not fit alone between its sentences (or lines), and a sentence that does
/// not fit alone between its words. Consecutive pieces of a cut section overlap by whole sentences.
/// </summary>
/// <remarks>
/// Each passage's text is exactly <c>markdown[Start..(Start + Length))</c>; headings are not part of the text but
/// of the passage's heading path. A YAML front-matter block at the top (<c>---</c> … <c>---</c>, as Jekyll, Hugo and
/// Docusaurus write them) is no passage; its <c>title:</c> is the document's title, before the first level-1 heading
/// and the file name.
/// </remarks>
public static partial class MarkdownChunker
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePreciseSourceLocation().Build();

    /// <summary>Splits <paramref name="markdown"/> into passages with the default <see cref="ChunkingOptions"/>.</summary>
    /// <param name="source">The document's path relative to the knowledge folder (used in ids and citations).</param>
    /// <param name="markdown">The document text.</param>
    public static IReadOnlyList<KnowledgePassage> Chunk(string source, string markdown) => Chunk(source, markdown, ChunkingOptions.Default);

    /// <summary>Splits <paramref name="markdown"/> into passages of at most <see cref="ChunkingOptions.MaxTokens"/> tokens each.</summary>
    /// <param name="source">The document's path relative to the knowledge folder (used in ids and citations).</param>
    /// <param name="markdown">The document text.</param>
    /// <param name="options">The token limit, overlap and token counter.</param>
    public static IReadOnlyList<KnowledgePassage> Chunk(string source, string markdown, ChunkingOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var document = Markdown.Parse(markdown, Pipeline);
        var frontMatter = document.OfType<YamlFrontMatterBlock>().FirstOrDefault();
        var title = (frontMatter is null ? null : FrontMatterTitle(frontMatter))
            ?? (document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1) is { } h1 ? InlineText(markdown, h1) : null)
            ?? Path.GetFileNameWithoutExtension(source);

        var passages = new List<KnowledgePassage>();
        var headings = new List<(int Level, string Text)>();
        var units = new List<(int Start, int End)>();
        var ids = new HashSet<string>(StringComparer.Ordinal);

        void Flush()
        {
            var heading = string.Join(" › ", headings.Select(x => x.Text));
            var slug = Slug(headings.Count > 0 ? headings[^1].Text : "intro");
            foreach (var (start, end) in Pack(markdown, Atoms(markdown, units, options), options))
            {
                var id = $"{source}#{slug}";
                for (var n = 2; !ids.Add(id); n++)
                {
                    id = $"{source}#{slug}-{n}";
                }

                passages.Add(new KnowledgePassage(id, source, title, heading, markdown[start..end], start, end - start));
            }

            units.Clear();
        }

        // Units are kept in document order and apart: Markdig's spans are not always exact (a link reference
        // definition group reports the span of the document's first block), and a unit that starts before the one
        // it follows would make a passage end before it starts.
        var covered = 0;
        void AddUnit(SourceSpan span)
        {
            var start = Math.Max(span.Start, covered);
            var end = Math.Min(span.End + 1, markdown.Length);
            if (end > start)
            {
                units.Add((start, end));
                covered = end;
            }
        }

        foreach (var block in document)
        {
            if (block is YamlFrontMatterBlock)
            {
                covered = Math.Max(covered, Math.Min(block.Span.End + 1, markdown.Length));
            }
            else if (block is HeadingBlock heading)
            {
                Flush();
                headings.RemoveAll(x => x.Level >= heading.Level);
                headings.Add((heading.Level, InlineText(markdown, heading)));
                covered = Math.Max(covered, Math.Min(heading.Span.End + 1, markdown.Length));
            }
            else if (block is ListBlock or LinkReferenceDefinitionGroup)
            {
                foreach (var item in (ContainerBlock)block)
                {
                    AddUnit(item.Span);
                }
            }
            else
            {
                AddUnit(block.Span);
            }
        }

        Flush();
        return passages;
    }

    /// <summary>The front matter's top-level <c>title:</c> (quotes removed), or null when it has none or an empty one.</summary>
    private static string? FrontMatterTitle(YamlFrontMatterBlock block)
    {
        for (var i = 0; i < block.Lines.Count; i++)
        {
            var text = block.Lines.Lines[i].ToString();
            if (!text.StartsWith("title:", StringComparison.Ordinal))
            {
                continue;
            }

            var value = text["title:".Length..].Trim();
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value[1..^1].Trim();
            }

            return value.Length > 0 ? value : null;
        }

        return null;
    }

    /// <summary>A sentence, line, word or (for an overlong word) run of characters: the smallest piece a passage is cut into.</summary>
    private readonly record struct Atom(int Start, int End, int Tokens, bool StartsBlock);

    private static List<Atom> Atoms(string markdown, List<(int Start, int End)> units, ChunkingOptions options)
    {
        var atoms = new List<Atom>();
        foreach (var (unitStart, unitEnd) in units)
        {
            var first = true;
            foreach (var (start, end) in Split(markdown, unitStart, unitEnd, SentenceEnd()))
            {
                var tokens = options.Count(markdown[start..end]);
                if (tokens <= options.MaxTokens)
                {
                    atoms.Add(new Atom(start, end, tokens, first));
                    first = false;
                    continue;
                }

                foreach (var (wordStart, wordEnd) in Split(markdown, start, end, WhitespaceRegex()))
                {
                    var wordTokens = options.Count(markdown[wordStart..wordEnd]);
                    if (wordTokens <= options.MaxTokens)
                    {
                        atoms.Add(new Atom(wordStart, wordEnd, wordTokens, first));
                        first = false;
                        continue;
                    }

                    // A word-piece token covers at least one character, so MaxTokens characters never exceed the limit.
                    for (var s = wordStart; s < wordEnd; s += options.MaxTokens)
                    {
                        var e = Math.Min(s + options.MaxTokens, wordEnd);
                        atoms.Add(new Atom(s, e, options.Count(markdown[s..e]), first));
                        first = false;
                    }
                }
            }
        }

        return atoms;
    }

    /// <summary>The non-blank pieces of <c>text[start..end)</c> between matches of <paramref name="separator"/>, trimmed.</summary>
    private static List<(int Start, int End)> Split(string text, int start, int end, Regex separator)
    {
        var pieces = new List<(int Start, int End)>();
        var from = start;
        foreach (var match in separator.EnumerateMatches(text.AsSpan(start, end - start)))
        {
            var cut = start + match.Index;
            if (Trim(text, from, cut) is { } piece)
            {
                pieces.Add(piece);
            }

            from = cut + match.Length;
        }

        if (Trim(text, from, end) is { } last)
        {
            pieces.Add(last);
        }

        return pieces;
    }

    private static (int Start, int End)? Trim(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return start < end ? (start, end) : null;
    }

    /// <summary>Groups a section's atoms into passages of at most the token limit, preferring to cut between blocks.</summary>
    private static IEnumerable<(int Start, int End)> Pack(string markdown, List<Atom> atoms, ChunkingOptions options)
    {
        var max = options.MaxTokens;
        var previousEnd = 0;
        var i = 0;
        while (i < atoms.Count)
        {
            var j = Fill(atoms, i, max);
            if (j <= previousEnd && i < previousEnd)
            {
                // The overlap left no room for anything new: start the next piece without it.
                i = previousEnd;
                j = Fill(atoms, i, max);
            }

            if (j < atoms.Count)
            {
                // Cut at the last block boundary when that keeps at least half a passage, so paragraphs and list items stay whole.
                var tokens = 0;
                var boundary = -1;
                for (var k = i; k < j; k++)
                {
                    if (k > i && atoms[k].StartsBlock && tokens >= max / 2 && k > previousEnd)
                    {
                        boundary = k;
                    }

                    tokens += atoms[k].Tokens;
                }

                j = boundary > 0 ? boundary : j;
            }

            // The sum of the atoms' counts is exact for WordPiece (atoms are cut at white space); check in case a counter is not additive.
            while (j > i + 1 && options.Count(markdown[atoms[i].Start..atoms[j - 1].End]) > max)
            {
                j--;
            }

            yield return (atoms[i].Start, atoms[j - 1].End);
            if (j >= atoms.Count)
            {
                yield break;
            }

            previousEnd = j;
            var next = j;
            var overlap = options.OverlapTokens;
            while (next - 1 > i && atoms[next - 1].Tokens <= overlap)
            {
                overlap -= atoms[next - 1].Tokens;
                next--;
            }

            i = next;
        }
    }

    /// <summary>The end (exclusive) of the longest run of atoms from <paramref name="start"/> within <paramref name="max"/> tokens; at least one atom.</summary>
    private static int Fill(List<Atom> atoms, int start, int max)
    {
        var tokens = 0;
        var end = start;
        while (end < atoms.Count && (end == start || tokens + atoms[end].Tokens <= max))
        {
            tokens += atoms[end].Tokens;
            end++;
        }

        return end;
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

    /// <summary>Where sentences and lines end: after . ! ? (or their CJK forms) before white space, and at line breaks.</summary>
    [GeneratedRegex(@"(?<=[.!?。！？])\s+|(?<=[。！？])|\n\s*")]
    private static partial Regex SentenceEnd();
}
