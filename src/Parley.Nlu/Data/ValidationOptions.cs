namespace Parley.Nlu.Data;

/// <summary>Thresholds of <see cref="DatasetValidator"/>.</summary>
public sealed class ValidationOptions
{
    /// <summary>Intents with fewer examples than this (over all splits) get a warning. Default 5.</summary>
    public int MinExamplesPerIntent { get; set; } = 5;

    /// <summary>
    /// A warning is given when the largest intent has more than this many times the examples of the smallest. Default 10.
    /// </summary>
    public double MaxImbalanceRatio { get; set; } = 10;

    /// <summary>
    /// How the same text (ignoring case and spacing) with different intents is reported. Default
    /// <see cref="DatasetIssueSeverity.Error"/>; published benchmarks carry a few such conflicts (CLINC150
    /// <c>data_full.json</c> has 4), which a caller may choose to accept as warnings.
    /// </summary>
    public DatasetIssueSeverity ConflictingLabels { get; set; } = DatasetIssueSeverity.Error;
}
