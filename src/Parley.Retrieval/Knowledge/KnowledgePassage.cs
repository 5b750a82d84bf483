using System.Text.Json.Serialization;

namespace Parley.Retrieval.Knowledge;

/// <summary>A citable piece of a knowledge document.</summary>
/// <param name="Id">A stable id: the source path and the heading slug, e.g. <c>shipping.md#delivery-times</c>.</param>
/// <param name="Source">The document's path relative to the knowledge folder, with forward slashes.</param>
/// <param name="Title">The document's title (its first level-one heading, else its file name).</param>
/// <param name="Heading">The heading path of the section, e.g. <c>Shipping › Delivery times</c>; empty for text before any heading.</param>
/// <param name="Text">The passage text, as written in the document (Markdown).</param>
/// <param name="Start">The character offset of the passage in the document.</param>
/// <param name="Length">The passage's length in characters in the document.</param>
public sealed record KnowledgePassage(string Id, string Source, string Title, string Heading, string Text, int Start, int Length)
{
    /// <summary>The passage as people name it: the document's title and its own section, e.g. <c>Shipping › Delivery times</c>; the title alone before any heading.</summary>
    [JsonIgnore]
    public string Label => Heading.Length > 0 ? $"{Title} › {Heading.Split(" › ")[^1]}" : Title;
}
