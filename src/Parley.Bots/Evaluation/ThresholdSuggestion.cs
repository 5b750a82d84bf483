namespace Parley.Bots.Evaluation;

/// <summary>
/// A suggested gate for one intent (its <c>threshold</c> in the pack), from the intent checks: the similarity of the
/// intent's own checks to its closest example, and of the out-of-scope checks to the same intent.
/// </summary>
/// <param name="Intent">The intent.</param>
/// <param name="Current">The gate it has now (its own threshold, else the bot's).</param>
/// <param name="Suggested">The suggested threshold, or null when the intent has no checks.</param>
/// <param name="Checks">How many of its checks there are.</param>
/// <param name="Kept">How many of them pass the suggested threshold.</param>
/// <param name="OutOfScope">How many out-of-scope checks there are.</param>
/// <param name="LetIn">How many of those would pass the suggested threshold of this intent.</param>
public sealed record ThresholdSuggestion(string Intent, double Current, double? Suggested, int Checks, int Kept, int OutOfScope, int LetIn);
