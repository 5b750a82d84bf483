namespace Parley.Nlu.Data;

/// <summary>How <see cref="DatasetReader"/> reads a file.</summary>
public sealed class DatasetReadOptions
{
    /// <summary>The file format. Default <see cref="DatasetFormat.Auto"/>: detected from the extension and content.</summary>
    public DatasetFormat Format { get; set; } = DatasetFormat.Auto;

    /// <summary>The column (CSV/TSV) or field (JSONL) holding the utterance. Default <c>text</c>.</summary>
    public string TextColumn { get; set; } = "text";

    /// <summary>
    /// The column (CSV/TSV) or field (JSONL) holding the intent. Default <c>intent</c>; JSONL also accepts <c>label</c>
    /// when this field is absent.
    /// </summary>
    public string LabelColumn { get; set; } = "intent";
}
