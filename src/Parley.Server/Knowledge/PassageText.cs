namespace Parley.Server.Knowledge;

/// <summary>The body of <c>GET /api/bots/{bot}/passages</c>.</summary>
/// <param name="Id">The id asked for.</param>
/// <param name="Title">The document's title.</param>
/// <param name="Heading">The section's heading path; empty for a whole document.</param>
/// <param name="Source">The document's path in the bot's knowledge folder.</param>
/// <param name="Text">The passage (or document) text, as written (Markdown).</param>
public sealed record PassageText(string Id, string Title, string Heading, string Source, string Text);
