using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Parley.Server.Errors;

namespace Parley.Server.FineTuning;

/// <summary>
/// Checks that an upload is JSON Lines: every non-blank line one JSON object, UTF-8, with no duplicate property and no
/// escaped lone surrogate (which training would refuse later). Lines are read as bytes, so a problem is reported on
/// the line it is on.
/// </summary>
internal static class JsonlCheck
{
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <summary>Throws a 400 naming the first line that is not a JSON object.</summary>
    public static async Task CheckAsync(string path, string filename, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var reader = PipeReader.Create(stream);
            var lineNumber = 0;
            var examples = 0;
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryTakeLine(ref buffer, result.IsCompleted, out var line))
                {
                    lineNumber++;
                    if (Problem(line, lineNumber) is { } problem)
                    {
                        throw Invalid(filename, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} {problem}"));
                    }

                    examples += IsBlank(line) ? 0 : 1;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            await reader.CompleteAsync().ConfigureAwait(false);
            if (examples == 0)
            {
                throw Invalid(filename, "it has no lines");
            }
        }
    }

    /// <summary>Takes the next line (without its line break) off <paramref name="buffer"/>; the last one only once the file has ended.</summary>
    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, bool ended, out byte[] line)
    {
        if (buffer.PositionOf((byte)'\n') is { } end)
        {
            line = buffer.Slice(0, end).ToArray();
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            return true;
        }

        if (ended && !buffer.IsEmpty)
        {
            line = buffer.ToArray();
            buffer = buffer.Slice(buffer.End);
            return true;
        }

        line = [];
        return false;
    }

    private static string? Problem(byte[] line, int lineNumber)
    {
        ReadOnlySpan<byte> text = line;
        if (lineNumber == 1 && text.StartsWith(ByteOrderMark))
        {
            text = text[ByteOrderMark.Length..];
        }

        if (text.EndsWith((byte)'\r'))
        {
            text = text[..^1];
        }

        if (IsBlank(text))
        {
            return null;
        }

        if (StrictJson.Check(text) is { } problem)
        {
            return problem == "it is not UTF-8 text" ? "is not UTF-8 text" : $"is not valid JSON ({problem})";
        }

        return JsonTokenTypeName(text) is { } kind ? $"is a JSON {kind}, not an object" : null;
    }

    private static string? JsonTokenTypeName(ReadOnlySpan<byte> text)
    {
        var reader = new Utf8JsonReader(text);
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => null,
            JsonTokenType.StartArray => "array",
            JsonTokenType.String => "string",
            JsonTokenType.Number => "number",
            JsonTokenType.True or JsonTokenType.False => "boolean",
            _ => "null",
        };
    }

    private static bool IsBlank(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static ApiException Invalid(string filename, string problem) =>
        new(400, $"The file '{filename}' is not valid JSONL: {problem}. Each line must be one JSON object.", "file", "invalid_file_format");
}
