using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;

namespace Parley.Server.Chat;

/// <summary>
/// An OpenAI <c>url_citation</c> annotation of a reply message (<c>message.annotations</c>; streamed: the last chunk's
/// <c>delta.annotations</c>), made from the reply's <see cref="CitationAnnotation"/>s (<see cref="ReplyCitations"/>).
/// </summary>
/// <param name="UrlCitation">The cited source and the span of the reply it supports.</param>
public sealed record UrlCitationAnnotation(UrlCitation UrlCitation)
{
    /// <summary>Always <c>url_citation</c>.</summary>
    public string Type => "url_citation";

    /// <summary>
    /// The annotations of a bot's reply: one per cited span that lies within <paramref name="reply"/> (the text sent,
    /// which may be cut by <c>max_tokens</c>), pointing at the passage on this server
    /// (<c>GET /api/bots/{bot}/passages?id=…</c>), or null when the reply cites nothing.
    /// </summary>
    /// <param name="response">The bot's reply.</param>
    /// <param name="reply">The reply text sent to the client.</param>
    /// <param name="bot">The bot's name.</param>
    /// <param name="request">The HTTP request, for the server's address.</param>
    public static IReadOnlyList<UrlCitationAnnotation>? From(ChatResponse response, string reply, string bot, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var annotations = new List<UrlCitationAnnotation>();
        foreach (var citation in ReplyCitations.Read(response))
        {
            if (citation.Start < 0 || citation.Start >= reply.Length || citation.End <= citation.Start)
            {
                continue;
            }

            var url = citation.PassageId is { } id
                ? $"{request.Scheme}://{request.Host}{request.PathBase}/api/bots/{Uri.EscapeDataString(bot)}/passages?id={Uri.EscapeDataString(id)}"
                : citation.Annotation.Url is { IsAbsoluteUri: true } absolute ? absolute.AbsoluteUri : null;
            if (url is not null)
            {
                annotations.Add(new UrlCitationAnnotation(new UrlCitation(citation.Start, Math.Min(citation.End, reply.Length), citation.Annotation.Title ?? string.Empty, url)));
            }
        }

        return annotations.Count == 0 ? null : annotations;
    }
}
