using Microsoft.Extensions.AI;

namespace Parley.Bots.Replies;

/// <summary>
/// A reply's sources as Microsoft.Extensions.AI <see cref="CitationAnnotation"/>s on its text, alongside
/// <see cref="BotReplyInfo.Sources"/>: what any <see cref="IChatClient"/> consumer reads, and what the server turns into
/// OpenAI <c>url_citation</c> annotations.
/// </summary>
/// <remarks>
/// A citation's <see cref="TextSpanAnnotatedRegion"/> indexes the reply message's <see cref="ChatMessage.Text"/>: the
/// whole text for a template or a quoted passage, the <c>[n]</c> marker for an LLM reply grounded in the knowledge.
/// Its <see cref="CitationAnnotation.Url"/> is the document's path relative to the knowledge folder, and the
/// passage id (<see cref="SourceCitation.Id"/>) is under <see cref="PassageIdKey"/> in its additional properties.
/// </remarks>
public static class ReplyCitations
{
    /// <summary>The additional-property key of a citation's passage id (<c>file#section</c>, or a document path).</summary>
    public const string PassageIdKey = "parley.passage_id";

    private const int SnippetLength = 280;

    /// <summary>A citation of <paramref name="source"/> for the text from <paramref name="start"/> to <paramref name="end"/>.</summary>
    /// <param name="source">The cited source.</param>
    /// <param name="start">The first character of the text it supports.</param>
    /// <param name="end">The character after the text it supports.</param>
    /// <param name="snippet">The passage text, shortened to a snippet; null for none.</param>
    public static CitationAnnotation Create(SourceCitation source, int start, int end, string? snippet = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new CitationAnnotation
        {
            Title = source.Title,
            Url = new Uri(string.Join('/', source.Source.Split('/').Select(Uri.EscapeDataString)), UriKind.Relative),
            Snippet = snippet is null ? null : Shorten(snippet),
            AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start, EndIndex = end }],
            AdditionalProperties = new() { [PassageIdKey] = source.Id },
        };
    }

    /// <summary>
    /// The citations of <paramref name="response"/>'s last message with text, with their regions moved to index
    /// <see cref="ChatResponse.Text"/>, in the order of their regions.
    /// </summary>
    public static IReadOnlyList<Citation> Read(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var message = response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant && m.Contents.Any(c => c.Annotations is { Count: > 0 }));
        var whole = response.Text;
        var text = message?.Text;
        if (message is null || string.IsNullOrEmpty(text) || !whole.EndsWith(text, StringComparison.Ordinal))
        {
            return [];
        }

        var offset = whole.Length - text.Length;
        return
        [
            .. from content in message.Contents
               from annotation in content.Annotations ?? []
               let citation = annotation as CitationAnnotation
               where citation is not null
               from region in citation.AnnotatedRegions?.OfType<TextSpanAnnotatedRegion>() ?? []
               where region.StartIndex is not null && region.EndIndex is not null
               orderby region.StartIndex
               select new Citation(citation, offset + region.StartIndex!.Value, offset + region.EndIndex!.Value, PassageId(citation)),
        ];
    }

    /// <summary>Puts <paramref name="citations"/> on <paramref name="message"/>: on its text when it has one text, else on an empty text after it.</summary>
    internal static void Attach(ChatMessage message, IReadOnlyList<CitationAnnotation> citations)
    {
        if (citations.Count == 0)
        {
            return;
        }

        var texts = message.Contents.OfType<TextContent>().ToArray();
        if (texts.Length == 1 && ReferenceEquals(message.Contents[^1], texts[0]))
        {
            foreach (var citation in citations)
            {
                (texts[0].Annotations ??= []).Add(citation);
            }
        }
        else
        {
            message.Contents.Add(Carrier(citations));
        }
    }

    /// <summary>
    /// <paramref name="contents"/> with the citations on their texts moved <paramref name="offset"/> characters on: for
    /// a layer that puts text before the text they index.
    /// </summary>
    internal static IList<AIContent> Shift(IList<AIContent> contents, int offset)
    {
        if (offset == 0 || !contents.Any(c => c is TextContent { Annotations.Count: > 0 }))
        {
            return contents;
        }

        return
        [
            .. contents.Select(content => content is TextContent { Annotations.Count: > 0 } text
                ? new TextContent(text.Text) { Annotations = [.. text.Annotations!.Select(a => a is CitationAnnotation c ? Moved(c, offset) : a)] }
                : content),
        ];
    }

    /// <summary>The citations of <paramref name="citations"/> on new regions, <paramref name="offset"/> characters on from where they were read.</summary>
    internal static CitationAnnotation[] Moved(IEnumerable<Citation> citations, int offset) =>
        [.. citations.Select(c => WithRegions(c.Annotation, [new TextSpanAnnotatedRegion { StartIndex = offset + c.Start, EndIndex = offset + c.End }]))];

    /// <summary>
    /// An empty text carrying <paramref name="citations"/>, for the end of a streamed reply: merging the updates keeps it
    /// as its own content after the streamed text, so the regions still index the message's text.
    /// </summary>
    internal static TextContent Carrier(IReadOnlyList<CitationAnnotation> citations) =>
        new(string.Empty) { Annotations = [.. citations] };

    private static CitationAnnotation Moved(CitationAnnotation citation, int offset) =>
        WithRegions(citation, [.. (citation.AnnotatedRegions ?? []).Select(region => region is TextSpanAnnotatedRegion span
            ? new TextSpanAnnotatedRegion { StartIndex = span.StartIndex + offset, EndIndex = span.EndIndex + offset }
            : region)]);

    /// <summary>A copy of <paramref name="citation"/> on <paramref name="regions"/>.</summary>
    private static CitationAnnotation WithRegions(CitationAnnotation citation, IList<AnnotatedRegion> regions) => new()
    {
        Title = citation.Title,
        Url = citation.Url,
        FileId = citation.FileId,
        ToolName = citation.ToolName,
        Snippet = citation.Snippet,
        AdditionalProperties = citation.AdditionalProperties,
        AnnotatedRegions = regions,
    };

    private static string? PassageId(CitationAnnotation citation) =>
        citation.AdditionalProperties?.TryGetValue(PassageIdKey, out var id) == true ? id?.ToString() : null;

    private static string Shorten(string text) =>
        text.Length <= SnippetLength ? text : string.Concat(text.AsSpan(0, SnippetLength - 1).TrimEnd(), "…");

    /// <summary>A citation and the span of the reply text it supports.</summary>
    /// <param name="Annotation">The citation.</param>
    /// <param name="Start">The first character of the supported text in <see cref="ChatResponse.Text"/>.</param>
    /// <param name="End">The character after it.</param>
    /// <param name="PassageId">The cited passage's id, when the citation is a Parley source.</param>
    public sealed record Citation(CitationAnnotation Annotation, int Start, int End, string? PassageId);
}
