using System.ComponentModel;
using System.Globalization;
using System.Text;
using Parley.Retrieval.Knowledge;

namespace Parley.Tools.Knowledge;

/// <summary>
/// <c>knowledge_search</c>: searches the bot's knowledge and returns the best passages with where they come from, so a
/// model (or an MCP client) can answer from them and cite them.
/// </summary>
public sealed class KnowledgeSearchTool(IKnowledgeSearch knowledge)
{
    /// <summary>The most passages one call returns.</summary>
    public const int MaxResults = 8;

    /// <summary>The longest passage text returned, in characters; longer ones are cut with an ellipsis.</summary>
    public const int MaxPassageLength = 1_500;

    /// <summary>Searches the knowledge.</summary>
    /// <param name="query">What to look for, in the user's words.</param>
    /// <param name="top">How many passages to return (1–8).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The passages, best first, each with its source, title, heading and score; or a sentence saying none matched.</returns>
    [Description("Searches the bot's knowledge base (documents, FAQs) and returns the best passages with their source, title and score, best first. Quote and cite the source.")]
    public async Task<string> SearchAsync(
        [Description("What to look for, in the user's words.")] string query,
        [Description("How many passages to return, 1 to 8 (default 3).")] int top = 3,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new ToolException("the query is empty: say what to look for");
        }

        if (top is < 1 or > MaxResults)
        {
            throw new ToolException($"top must be between 1 and {MaxResults} (was {top})");
        }

        var hits = await knowledge.SearchAsync(query.Trim(), top, cancellationToken).ConfigureAwait(false);
        if (hits.Count == 0)
        {
            return $"No passage of the knowledge base matches \"{query.Trim()}\".";
        }

        var text = new StringBuilder();
        for (var i = 0; i < hits.Count; i++)
        {
            var passage = hits[i].Passage;
            var heading = string.IsNullOrWhiteSpace(passage.Heading) || passage.Heading == passage.Title ? "" : $" › {passage.Heading}";
            text.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {passage.Title}{heading} (source: {passage.Source}; score {hits[i].Score:0.00})\n");
            text.Append(passage.Text.Length > MaxPassageLength ? passage.Text[..MaxPassageLength].TrimEnd() + "…" : passage.Text.Trim());
            text.Append("\n\n");
        }

        return text.ToString().TrimEnd();
    }
}
