namespace Parley.Nlu.Models;

/// <summary>
/// The out-of-scope gate of a model on sentence embeddings, in its manifest: a message whose cosine similarity to the
/// nearest intent centroid (the normalised mean embedding of the intent's training examples, stored in
/// <see cref="File"/>) is below <see cref="Threshold"/> is rejected, whatever the head's confidence. A softmax over a
/// few intents gives a question unlike all of them ("what's the capital of France" to a restaurant's six intents) as
/// much probability as a paraphrase it is unsure of; its distance from every intent tells them apart.
/// </summary>
public sealed record SimilarityGate
{
    /// <summary>The centroids' file name in the model folder.</summary>
    public const string DefaultFile = "centroids.bin";

    /// <summary>The least cosine similarity to the nearest centroid a message needs; 0 turns the gate off.</summary>
    public double Threshold { get; init; }

    /// <summary>How <see cref="Threshold"/> was chosen (for people reading the manifest).</summary>
    public string Criterion { get; init; } = "";

    /// <summary>The share of in-scope validation and out-of-fold training items the gate rejects.</summary>
    public double InScopeRejection { get; init; }

    /// <summary>The file with the centroids (rows of the intents in <see cref="Labels"/>' order).</summary>
    public string File { get; init; } = DefaultFile;

    /// <summary>The intents whose centroids are stored, in row order.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>SHA-256 (lower-case hex) of <see cref="File"/>; empty for a model that has not been saved.</summary>
    public string Sha256 { get; init; } = "";
}
