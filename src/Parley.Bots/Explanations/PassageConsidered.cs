namespace Parley.Bots.Explanations;

/// <summary>A knowledge passage found for the message.</summary>
/// <param name="Id">The passage id (<c>file#section</c>).</param>
/// <param name="Title">The document title and section.</param>
/// <param name="Source">The document's path in the knowledge folder.</param>
/// <param name="Score">Its score.</param>
/// <param name="Threshold">The bot's <c>thresholds.knowledge</c>: the score a passage needs to be used.</param>
/// <param name="Cited">Whether the reply cites it.</param>
public sealed record PassageConsidered(string Id, string Title, string Source, double Score, double Threshold, bool Cited);
