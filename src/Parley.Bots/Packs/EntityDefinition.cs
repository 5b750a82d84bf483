using System.Text.RegularExpressions;

namespace Parley.Bots.Packs;

/// <summary>
/// An entity a slot can be filled from, from the manifest's <c>entities:</c> map: a gazetteer (a list of values, matched as
/// whole words without regard to case) or a regular expression (its first group, or the whole match, is the value).
/// </summary>
public sealed class EntityDefinition
{
    /// <summary>The entity's name, used as a slot's <c>entity</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The gazetteer's values, or empty for a pattern.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>The pattern, or null for a gazetteer.</summary>
    public Regex? Pattern { get; init; }
}
