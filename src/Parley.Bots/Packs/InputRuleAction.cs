namespace Parley.Bots.Packs;

/// <summary>What an input rule does when it fires (its <c>then</c> key).</summary>
public enum InputRuleAction
{
    /// <summary>The rule's reply is the whole answer (<c>then: stop</c>, the default).</summary>
    Stop,

    /// <summary>The rule's reply comes first, then the bot answers the message as usual (<c>then: answer</c>).</summary>
    Answer,
}
