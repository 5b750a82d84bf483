namespace Parley.Bots.Replies;

/// <summary>The stages at which a rule acts, as reported in <see cref="RuleHit.Stage"/>.</summary>
public static class RuleStages
{
    /// <summary>An input rule fired on the user's message.</summary>
    public const string Input = "input";

    /// <summary>An output rule found forbidden content in the reply and replaced it.</summary>
    public const string Output = "output";

    /// <summary>A disclaimer was appended to the reply.</summary>
    public const string Disclaimer = "disclaimer";
}
