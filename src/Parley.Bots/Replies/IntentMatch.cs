namespace Parley.Bots.Replies;

/// <summary>The intent a message was recognised as.</summary>
/// <param name="Name">The intent's name.</param>
/// <param name="Confidence">The classifier's confidence.</param>
public sealed record IntentMatch(string Name, double Confidence);
