using System.Globalization;
using System.Text;
using System.Text.Json;
using Parley.Server.Errors;

namespace Parley.Server.FineTuning;

/// <summary>Checks that an upload is JSON Lines: every non-blank line one JSON object.</summary>
internal static class JsonlCheck
{
    /// <summary>Throws a 400 naming the first line that is not a JSON object.</summary>
    public static async Task CheckAsync(string path, string filename, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        var lineNumber = 0;
        var examples = 0;
        string? line;
        try
        {
            while ((line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is not null)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                examples++;
                string? problem = null;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        problem = $"is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
                    }
                }
                catch (JsonException e)
                {
                    problem = $"is not valid JSON ({e.Message.Split(" Path:")[0]})";
                }

                if (problem is not null)
                {
                    throw Invalid(filename, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} {problem}"));
                }
            }
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(filename, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber + 1} is not UTF-8 text"));
        }

        if (examples == 0)
        {
            throw Invalid(filename, "it has no lines");
        }
    }

    private static ApiException Invalid(string filename, string problem) =>
        new(400, $"The file '{filename}' is not valid JSONL: {problem}. Each line must be one JSON object.", "file", "invalid_file_format");
}
