namespace Parley.Server.Chat;

/// <summary>The body of a <see cref="UrlCitationAnnotation"/>.</summary>
/// <param name="StartIndex">The first character of the supported text in the reply.</param>
/// <param name="EndIndex">The character after it.</param>
/// <param name="Title">The source's title (document, and section when there is one).</param>
/// <param name="Url">Where to read the source.</param>
public sealed record UrlCitation(int StartIndex, int EndIndex, string Title, string Url);
