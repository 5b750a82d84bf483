namespace Parley.Bots.Replies;

/// <summary>A safety rule of the pack that acted on a reply.</summary>
/// <param name="Name">The rule's name (a disclaimer's name for a disclaimer).</param>
/// <param name="Stage">One of <see cref="RuleStages"/>: an input rule fired, an output rule replaced content, or a disclaimer was added.</param>
public sealed record RuleHit(string Name, string Stage);
