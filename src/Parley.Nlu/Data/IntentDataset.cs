namespace Parley.Nlu.Data;

/// <summary>
/// Labelled utterances read from one file, by split. Single-file formats have one split, <c>all</c>; the CLINC layout
/// keeps <c>train</c>, <c>val</c> and <c>test</c> (its out-of-scope items folded in with the label <c>oos</c>).
/// </summary>
public sealed class IntentDataset
{
    private string? _hash;

    /// <summary>Creates a dataset.</summary>
    /// <param name="path">The file it was read from.</param>
    /// <param name="format">The format it was read as.</param>
    /// <param name="splits">The splits, in order, by name.</param>
    /// <param name="readErrors">Lines that could not be read (malformed JSON, wrong column count), if any.</param>
    public IntentDataset(
        string path,
        DatasetFormat format,
        IEnumerable<KeyValuePair<string, IReadOnlyList<DatasetItem>>> splits,
        IReadOnlyList<DatasetIssue>? readErrors = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(splits);
        Path = path;
        Format = format;
        Splits = new OrderedDictionary<string, IReadOnlyList<DatasetItem>>(splits, StringComparer.Ordinal);
        ReadErrors = readErrors ?? [];
    }

    /// <summary>The file name without its extension.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The file the dataset was read from.</summary>
    public string Path { get; }

    /// <summary>The format it was read as (never <see cref="DatasetFormat.Auto"/> when read by <see cref="DatasetReader"/>).</summary>
    public DatasetFormat Format { get; }

    /// <summary>The items by split name, in file order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DatasetItem>> Splits { get; }

    /// <summary>Lines that could not be read, as errors; <see cref="DatasetValidator"/> includes them in its report.</summary>
    public IReadOnlyList<DatasetIssue> ReadErrors { get; }

    /// <summary>All items of all splits, split by split.</summary>
    public IEnumerable<DatasetItem> AllItems => Splits.Values.SelectMany(items => items);

    /// <summary>The number of items over all splits.</summary>
    public int Count => Splits.Values.Sum(items => items.Count);

    /// <summary>The stable content hash of the items (see <see cref="DataHash.Compute(IntentDataset)"/>).</summary>
    public string Hash => _hash ??= DataHash.Compute(this);
}
