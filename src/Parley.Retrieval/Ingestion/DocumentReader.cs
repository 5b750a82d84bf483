using System.Text;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Ingestion;

/// <summary>
/// Turns one knowledge file into passages by its extension: Markdown and text as written, MDX without its JSX
/// tags, HTML by its headings and paragraphs, PDF page by page, and JSONL FAQ pairs one passage per pair.
/// </summary>
/// <remarks>
/// Offsets of passages from MDX, HTML and PDF files refer to the converted text (Markdown), not to the file's bytes.
/// </remarks>
public static class DocumentReader
{
    /// <summary>The file extensions that can be read.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".markdown", ".txt", ".mdx", ".html", ".htm", ".pdf", ".jsonl",
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Splits a file's content into passages.</summary>
    /// <param name="source">The file's path relative to the knowledge folder, with forward slashes.</param>
    /// <param name="content">The file's bytes.</param>
    /// <param name="chunking">How documents are cut into passages; null for <see cref="ChunkingOptions.Default"/>.</param>
    /// <exception cref="InvalidDataException">The file cannot be read as its extension says (the message says why).</exception>
    public static IReadOnlyList<KnowledgePassage> Read(string source, ReadOnlySpan<byte> content, ChunkingOptions? chunking = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        chunking ??= ChunkingOptions.Default;
        var text = ToText(source, content);
        return IsFaq(source) ? FaqPairs.Chunk(source, text) : MarkdownChunker.Chunk(source, text, chunking);
    }

    /// <summary>
    /// The text that <see cref="Read"/> cuts into passages, and that the passages' <see cref="KnowledgePassage.Start"/>
    /// and <see cref="KnowledgePassage.Length"/> refer to: the Markdown of an MDX, HTML or PDF file, else the file's text.
    /// </summary>
    /// <param name="source">The file's path (its extension says how it is read).</param>
    /// <param name="content">The file's bytes.</param>
    /// <exception cref="InvalidDataException">The file cannot be read as its extension says (the message says why).</exception>
    public static string ToText(string source, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Path.GetExtension(source).ToLowerInvariant() switch
        {
            ".pdf" => PdfText.ToMarkdown(content.ToArray()),
            ".mdx" => MdxText.StripJsx(Text(content)),
            ".html" or ".htm" => HtmlText.ToMarkdown(Text(content)),
            _ => Text(content),
        };
    }

    private static bool IsFaq(string source) => Path.GetExtension(source).Equals(".jsonl", StringComparison.OrdinalIgnoreCase);

    private static string Text(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
        }

        try
        {
            var text = StrictUtf8.GetString(content);
            return text.Contains('\0') ? throw new InvalidDataException("it holds NUL characters: a binary file, not text") : text;
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException("it is not valid UTF-8 text");
        }
    }
}
