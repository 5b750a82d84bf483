using Parley.Nlu.Intents;

namespace Parley.Nlu.FineTuning;

/// <summary>
/// The training examples of one fine-tuning file. For <see cref="FineTuningDataKind.Chat"/> data each example's
/// <see cref="LabeledExample.Intent"/> is the assistant reply itself (the trainer numbers the distinct replies).
/// </summary>
/// <param name="Kind">What the file holds.</param>
/// <param name="Examples">The examples, in file order.</param>
/// <param name="Tokens">The tokens of the file one epoch trains on (cl100k): the examples' text for intent data, the conversations as OpenAI bills them for chat data.</param>
public sealed record FineTuningData(FineTuningDataKind Kind, IReadOnlyList<LabeledExample> Examples, long Tokens);
