namespace Parley.Bots.Explanations;

/// <summary>A training example of the chosen intent, and how similar the message is to it.</summary>
/// <param name="Text">The example, as written in the pack.</param>
/// <param name="Similarity">The similarity of the message to it.</param>
public sealed record ExampleMatch(string Text, double Similarity);
