using Parley.Nlu.Intents;

namespace Parley.Nlu.Data;

/// <summary>One labelled utterance of a dataset, with the line it was read from.</summary>
/// <param name="Text">The utterance.</param>
/// <param name="Intent">The intent label (empty when the source had none; validation reports it).</param>
/// <param name="Line">The 1-based line in the source file where the item starts, or 0 when it has no source line.</param>
public sealed record DatasetItem(string Text, string Intent, int Line)
{
    /// <summary>The item as a training example.</summary>
    public LabeledExample ToExample() => new(Text, Intent);
}
