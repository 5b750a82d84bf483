using System.Text;

namespace Parley.Nlu.Data;

/// <summary>Reads intent datasets from CSV, TSV, JSONL, the CLINC150 JSON layout and Rasa NLU YAML.</summary>
public static class DatasetReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The data file.</param>
    /// <param name="options">The format and columns; null for the defaults (auto-detected format, <c>text</c>/<c>intent</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The dataset. Lines that cannot be read are not thrown but collected in <see cref="IntentDataset.ReadErrors"/>,
    /// so that every one can be reported; <see cref="DatasetValidator"/> includes them.
    /// </returns>
    /// <exception cref="DatasetException">The file is missing, its format is unknown, or the header lacks a column.</exception>
    public static async Task<IntentDataset> ReadAsync(string path, DatasetReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DatasetReadOptions();
        if (!File.Exists(path))
        {
            throw new DatasetException(path, 0, Directory.Exists(path) ? "is a folder: give the path of a data file" : "data file not found: check the path");
        }

        var text = Decode(path, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        var format = options.Format == DatasetFormat.Auto ? DetectFormat(path, text) : options.Format;
        return format switch
        {
            DatasetFormat.Csv or DatasetFormat.Tsv => DelimitedDatasetReader.Read(path, text, format, options),
            DatasetFormat.Jsonl => JsonlDatasetReader.Read(path, text, options),
            DatasetFormat.Clinc => ClincDatasetReader.Read(path, text),
            DatasetFormat.RasaYaml => RasaYamlDatasetReader.Read(path, text),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "unknown dataset format"),
        };
    }

    /// <summary>
    /// The format of a file from its extension (<c>.csv</c>, <c>.tsv</c>, <c>.jsonl</c>) and, where the extension does not
    /// decide, its content (<c>.json</c> with <c>train</c>/<c>val</c>/<c>test</c> is CLINC; YAML with <c>nlu:</c> is Rasa).
    /// </summary>
    /// <exception cref="DatasetException">The format cannot be told.</exception>
    public static DatasetFormat DetectFormat(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".csv":
                return DatasetFormat.Csv;
            case ".tsv" or ".tab":
                return DatasetFormat.Tsv;
            case ".jsonl" or ".ndjson":
                return DatasetFormat.Jsonl;
            case ".yml" or ".yaml":
                return RasaYamlDatasetReader.LooksLikeRasa(content)
                    ? DatasetFormat.RasaYaml
                    : throw Unknown(path, "a YAML file without an 'nlu:' key is not a Rasa NLU file");
        }

        var trimmed = content.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            if (ClincDatasetReader.LooksLikeClinc(content))
            {
                return DatasetFormat.Clinc;
            }

            return extension == ".json" && !IsJsonLines(content)
                ? throw Unknown(path, "a JSON file needs 'train'/'val'/'test' arrays (the CLINC150 layout); for one object per line use .jsonl")
                : DatasetFormat.Jsonl;
        }

        if (RasaYamlDatasetReader.LooksLikeRasa(content))
        {
            return DatasetFormat.RasaYaml;
        }

        var header = trimmed.Split('\n', 2)[0];
        if (header.Contains('\t'))
        {
            return DatasetFormat.Tsv;
        }

        return header.Contains(',') ? DatasetFormat.Csv : throw Unknown(path, "the content is not CSV, TSV, JSONL, CLINC JSON or Rasa YAML");
    }

    /// <summary>
    /// The file's text as strict UTF-8 (a byte-order mark is skipped); invalid bytes and NUL characters (a binary
    /// file) are an error naming their line, and nothing of the file is echoed.
    /// </summary>
    /// <exception cref="DatasetException">The file is not valid UTF-8, or is binary.</exception>
    public static string Decode(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(bytes);
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        var nul = bytes.AsSpan(start).IndexOf((byte)0);
        if (nul >= 0)
        {
            var line = 1 + bytes.AsSpan(start, nul).Count((byte)'\n');
            throw new DatasetException(path, line, "holds NUL characters: a binary file, not text data; give a UTF-8 text file (CSV, TSV, JSONL, JSON or YAML)");
        }

        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            // Find the line of the first invalid byte: decode line by line until one fails.
            var line = 1;
            var lineStart = start;
            for (var i = start; i <= bytes.Length; i++)
            {
                if (i < bytes.Length && bytes[i] != (byte)'\n')
                {
                    continue;
                }

                try
                {
                    StrictUtf8.GetString(bytes, lineStart, i - lineStart);
                }
                catch (DecoderFallbackException)
                {
                    break;
                }

                line++;
                lineStart = i + 1;
            }

            throw new DatasetException(path, line,
                "is not valid UTF-8 text (saved in another encoding, such as Latin-1 or GBK?): save the file as UTF-8 and try again", e);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsJsonLines(string content) =>
        content.Split('\n').Where(l => l.Trim().Length > 0).All(l => l.TrimStart().StartsWith('{') && l.TrimEnd().EndsWith('}'));

    private static DatasetException Unknown(string path, string reason) =>
        new(path, 0, $"cannot tell the data format: {reason}; give the format (csv, tsv, jsonl, clinc, rasa)");
}
