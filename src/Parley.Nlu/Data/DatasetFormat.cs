namespace Parley.Nlu.Data;

/// <summary>The file formats <see cref="DatasetReader"/> reads.</summary>
public enum DatasetFormat
{
    /// <summary>Detect the format from the file extension and content.</summary>
    Auto,

    /// <summary>Comma-separated values with a header row (RFC 4180 quoting).</summary>
    Csv,

    /// <summary>Tab-separated values with a header row (quoted fields allowed as in CSV).</summary>
    Tsv,

    /// <summary>JSON Lines: one <c>{"text": …, "intent": …}</c> object per line (<c>"label"</c> is accepted for the intent).</summary>
    Jsonl,

    /// <summary>The CLINC150 layout: a JSON object with <c>train</c>/<c>val</c>/<c>test</c> and <c>oos_*</c> arrays of <c>[text, intent]</c>.</summary>
    Clinc,

    /// <summary>Rasa NLU YAML: <c>nlu:</c> → <c>- intent: name</c> → <c>examples: |</c> with <c>- </c> lines.</summary>
    RasaYaml,
}
