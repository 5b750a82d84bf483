namespace Parley.Nlu.Data;

/// <summary>Reads CSV and TSV files with a header row.</summary>
internal static class DelimitedDatasetReader
{
    public static IntentDataset Read(string path, string text, DatasetFormat format, DatasetReadOptions options)
    {
        var delimiter = format == DatasetFormat.Tsv ? '\t' : ',';
        var name = format == DatasetFormat.Tsv ? "TSV" : "CSV";
        using var records = DelimitedParser.Parse(text, delimiter).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new DatasetException(path, 0, $"the file is empty: a {name} dataset needs a header row naming the '{options.TextColumn}' and '{options.LabelColumn}' columns");
        }

        var header = records.Current;
        if (header.Error is not null)
        {
            throw new DatasetException(path, header.Line, $"the header row is malformed: {header.Error}");
        }

        var columns = header.Fields.Select(f => f.Trim()).ToList();
        var textIndex = Column(path, header.Line, columns, options.TextColumn, "text", "--text-column");
        var labelIndex = Column(path, header.Line, columns, options.LabelColumn, "label", "--label-column");

        var items = new List<DatasetItem>();
        var errors = new List<DatasetIssue>();
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Error is not null)
            {
                errors.Add(new DatasetIssue(DatasetIssueSeverity.Error, path, record.Line, null, $"malformed {name} line: {record.Error}"));
                continue;
            }

            if (record.Fields.Count != columns.Count)
            {
                errors.Add(new DatasetIssue(DatasetIssueSeverity.Error, path, record.Line, null,
                    $"wrong number of fields: expected {columns.Count} ({string.Join(", ", columns)}), found {record.Fields.Count}" +
                    (format == DatasetFormat.Csv ? " (quote text that contains commas)" : "")));
                continue;
            }

            items.Add(new DatasetItem(record.Fields[textIndex].Trim(), record.Fields[labelIndex].Trim(), record.Line));
        }

        return new IntentDataset(path, format, [new(DatasetSplitNames.All, items)], errors);
    }

    private static int Column(string path, int line, List<string> columns, string wanted, string what, string option)
    {
        var index = columns.FindIndex(c => string.Equals(c, wanted, StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index
            : throw new DatasetException(path, line,
                $"no '{wanted}' column in the header (columns: {Shown(columns)}); name the {what} column with {option}");
    }

    /// <summary>The header's columns for a message: at most 12, each cut to 40 characters, so a wrong file is not echoed whole.</summary>
    private static string Shown(List<string> columns)
    {
        var shown = string.Join(", ", columns.Take(12).Select(c => c.Length > 40 ? $"'{c[..40]}…'" : $"'{c}'"));
        return columns.Count > 12 ? $"{shown} and {columns.Count - 12} more" : shown;
    }
}
