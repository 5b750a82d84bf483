namespace Parley.Nlu.FineTuning;

/// <summary>
/// What a <see cref="ChatResponseModel"/> folder says besides its intent model: written to <c>replies.json</c>.
/// </summary>
public sealed record ChatResponseManifest
{
    /// <summary>The file name in the model folder: <c>replies.json</c>.</summary>
    public const string FileName = "replies.json";

    /// <summary>The format version this Parley writes and reads: 1.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The format version.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>What the model was trained on, and so how it answers.</summary>
    public required FineTuningDataKind Kind { get; init; }

    /// <summary>The answer set: the reply of each label of the intent model (chat data); empty for intent data, which answers with the label.</summary>
    public required IReadOnlyDictionary<string, string> Replies { get; init; }

    /// <summary>The reply when the input is out of scope (chat data); intent models answer <c>oos</c>.</summary>
    public required string FallbackReply { get; init; }

    /// <summary>
    /// The training inputs (distinct), for the similarity gate: an input whose cosine similarity to every one of them
    /// is below <see cref="MinSimilarity"/> is out of scope whatever the head says. Null in folders written before the
    /// gate existed, which then rely on the head's calibrated threshold alone.
    /// </summary>
    public IReadOnlyList<string>? Inputs { get; init; }

    /// <summary>The least cosine similarity to a training input for an answer other than the fallback; null for no gate.</summary>
    public double? MinSimilarity { get; init; }
}
