using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Nlu.Data;

/// <summary>Writes datasets as CSV (<c>text,intent</c>) and splits as a folder of CSV files with a summary. Files are written atomically.</summary>
public static class DatasetWriter
{
    /// <summary>The file names of a written split: <c>train.csv</c>, <c>val.csv</c>, <c>test.csv</c> and <c>summary.json</c>.</summary>
    public static readonly IReadOnlyList<string> SplitFileNames = ["train.csv", "val.csv", "test.csv", "summary.json"];

    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="items"/> to <paramref name="path"/> as CSV with the header <c>text,intent</c>.</summary>
    /// <param name="path">The file; its folder is created if needed, and it is replaced only once completely written.</param>
    /// <param name="items">The items.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static Task WriteCsvAsync(string path, IEnumerable<DatasetItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(items);
        var builder = new StringBuilder("text,intent\r\n");
        foreach (var item in items)
        {
            builder.Append(Quote(item.Text)).Append(',').Append(Quote(item.Intent)).Append("\r\n");
        }

        return Core.IO.AtomicFile.WriteAllTextAsync(path, builder.ToString(), cancellationToken);
    }

    /// <summary>Writes <paramref name="summary"/> to <paramref name="path"/> as indented JSON.</summary>
    public static Task WriteSummaryAsync(string path, DatasetSplitSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(summary);
        return Core.IO.AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, SummaryJson) + "\n", cancellationToken);
    }

    /// <summary>Writes <c>train.csv</c>, <c>val.csv</c>, <c>test.csv</c> and <c>summary.json</c> into <paramref name="folder"/>.</summary>
    /// <param name="folder">The output folder (created if needed).</param>
    /// <param name="split">The split.</param>
    /// <param name="summary">Its summary (see <see cref="DatasetSplitSummary.Create"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteSplitAsync(string folder, DatasetSplit split, DatasetSplitSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(split);
        await WriteCsvAsync(Path.Combine(folder, SplitFileNames[0]), split.Train, cancellationToken).ConfigureAwait(false);
        await WriteCsvAsync(Path.Combine(folder, SplitFileNames[1]), split.Validation, cancellationToken).ConfigureAwait(false);
        await WriteCsvAsync(Path.Combine(folder, SplitFileNames[2]), split.Test, cancellationToken).ConfigureAwait(false);
        await WriteSummaryAsync(Path.Combine(folder, SplitFileNames[3]), summary, cancellationToken).ConfigureAwait(false);
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 && value == value.Trim() ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
