namespace Parley.Nlu.Intents;

/// <summary>An utterance labelled with its intent.</summary>
/// <param name="Text">The utterance.</param>
/// <param name="Intent">The intent name.</param>
public sealed record LabeledExample(string Text, string Intent);
