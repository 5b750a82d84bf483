using System.Text.Json.Serialization;

namespace Parley.Nlu.Data;

/// <summary>What a split holds, written as <c>summary.json</c> beside the split files.</summary>
public sealed class DatasetSplitSummary
{
    /// <summary>The data file that was split.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>The <see cref="DataHash"/> of the source data.</summary>
    [JsonPropertyName("source_hash")]
    public required string SourceHash { get; init; }

    /// <summary>The seed of the split.</summary>
    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    /// <summary>The fraction asked for validation.</summary>
    [JsonPropertyName("val_fraction")]
    public required double ValidationFraction { get; init; }

    /// <summary>The fraction asked for test.</summary>
    [JsonPropertyName("test_fraction")]
    public required double TestFraction { get; init; }

    /// <summary>The number of items per split (<c>train</c>, <c>val</c>, <c>test</c>).</summary>
    [JsonPropertyName("counts")]
    public required IReadOnlyDictionary<string, int> Counts { get; init; }

    /// <summary>The number of items per intent and split, intents in ordinal order.</summary>
    [JsonPropertyName("intents")]
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Intents { get; init; }

    /// <summary>Summarizes <paramref name="split"/> of the data in <paramref name="source"/>.</summary>
    /// <param name="split">The split.</param>
    /// <param name="source">The data file that was split.</param>
    /// <param name="sourceHash">Its <see cref="DataHash"/>.</param>
    public static DatasetSplitSummary Create(DatasetSplit split, string source, string sourceHash)
    {
        ArgumentNullException.ThrowIfNull(split);
        var parts = new (string Name, IReadOnlyList<DatasetItem> Items)[]
        {
            (DatasetSplitNames.Train, split.Train),
            (DatasetSplitNames.Validation, split.Validation),
            (DatasetSplitNames.Test, split.Test),
        };
        var intents = new SortedDictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var intent in parts.SelectMany(p => p.Items).Select(i => i.Intent).Distinct(StringComparer.Ordinal))
        {
            intents[intent] = parts.ToDictionary(p => p.Name, p => p.Items.Count(i => i.Intent == intent), StringComparer.Ordinal);
        }

        return new DatasetSplitSummary
        {
            Source = source,
            SourceHash = sourceHash,
            Seed = split.Seed,
            ValidationFraction = split.ValidationFraction,
            TestFraction = split.TestFraction,
            Counts = parts.ToDictionary(p => p.Name, p => p.Items.Count, StringComparer.Ordinal),
            Intents = intents,
        };
    }
}
