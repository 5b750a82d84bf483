using System.Text;

namespace Parley.Nlu.Data;

/// <summary>
/// Splits CSV/TSV text into records (RFC 4180: fields in double quotes may hold the delimiter, doubled quotes and line
/// breaks), remembering the line each record starts on. A quote only opens a quoted field at the start of the field.
/// </summary>
internal static class DelimitedParser
{
    /// <summary>A record: its 1-based starting line and its fields, or the reason it is malformed.</summary>
    public readonly record struct Record(int Line, IReadOnlyList<string> Fields, string? Error);

    public static IEnumerable<Record> Parse(string text, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var atFieldStart = true;
        string? error = null;

        while (i < text.Length)
        {
            var c = text[i];
            if (atFieldStart && c == '"')
            {
                var quoteLine = line;
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    c = text[i];
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        closed = true;
                        break;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                    i++;
                }

                if (!closed)
                {
                    fields.Add(field.ToString());
                    yield return new Record(recordLine, fields, $"unterminated quoted field (the quote opened on line {quoteLine} is never closed)");
                    yield break;
                }

                atFieldStart = false;
                if (i < text.Length && text[i] != delimiter && text[i] != '\r' && text[i] != '\n')
                {
                    error ??= $"unexpected '{text[i]}' after a closing quote (write a quote inside a quoted field as \"\")";
                }

                continue;
            }

            if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                atFieldStart = true;
                i++;
                continue;
            }

            if (c == '\r' || c == '\n')
            {
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count > 1 || fields[0].Length > 0 || error is not null)
                {
                    yield return new Record(recordLine, fields, error);
                }

                fields = [];
                error = null;
                atFieldStart = true;
                line++;
                recordLine = line;
                continue;
            }

            field.Append(c);
            atFieldStart = false;
            i++;
        }

        if (!atFieldStart || fields.Count > 0 || field.Length > 0)
        {
            fields.Add(field.ToString());
            if (fields.Count > 1 || fields[0].Length > 0 || error is not null)
            {
                yield return new Record(recordLine, fields, error);
            }
        }
    }
}
