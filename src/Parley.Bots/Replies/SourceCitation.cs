namespace Parley.Bots.Replies;

/// <summary>A knowledge source a reply is based on.</summary>
/// <param name="Id">The passage id (<c>file#section</c>) or, for a template's source, the document path.</param>
/// <param name="Title">The document title, and the section heading when there is one.</param>
/// <param name="Source">The document's path relative to the bot's knowledge folder.</param>
/// <param name="Score">The relevance score of the passage, or the intent confidence for a template's source.</param>
public sealed record SourceCitation(string Id, string Title, string Source, double Score);
