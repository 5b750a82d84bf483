using System.Globalization;
using System.Text.Json.Nodes;
using Parley.Core.Runs;

namespace Parley.Cli.Rendering;

/// <summary>
/// A training run as text for <c>runs show</c>: a header, parameters and metrics as aligned name–value rows (nested
/// objects flattened to dotted names), and the per-epoch history as a table with a column per value.
/// </summary>
internal static class RunTable
{
    private const int MaxValueLength = 80;

    public static IEnumerable<string> Lines(RunRecord run)
    {
        yield return string.Create(CultureInfo.InvariantCulture, $"{run.Id}  {run.Kind}  {run.Created.ToLocalTime():yyyy-MM-dd HH:mm}");
        foreach (var line in Rows([("data", run.DataHash ?? "—"), ("model", run.ModelPath ?? "—"), ("epochs", run.History.Count.ToString(CultureInfo.InvariantCulture))]))
        {
            yield return line;
        }

        foreach (var (title, values) in new[] { ("Parameters", run.Parameters), ("Metrics", run.Metrics) })
        {
            yield return "";
            yield return title;
            var rows = Flatten(values, "").ToList();
            foreach (var line in rows.Count == 0 ? ["  (none)"] : Rows(rows))
            {
                yield return line;
            }
        }

        if (run.History.Count > 0)
        {
            yield return "";
            yield return "History";
            foreach (var line in History(run.History))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> History(JsonArray history)
    {
        var columns = history.OfType<JsonObject>().SelectMany(e => e.Where(p => p.Value is JsonValue).Select(p => p.Key)).Distinct(StringComparer.Ordinal).ToList();
        var cells = history.Select(e => columns.Select(c => e is JsonObject o ? Format(o[c]) : "—").ToList()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToList();
        yield return "  " + string.Join("  ", columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        foreach (var row in cells)
        {
            yield return "  " + string.Join("  ", row.Select((v, i) => v.PadLeft(widths[i]))).TrimEnd();
        }
    }

    private static IEnumerable<string> Rows(IReadOnlyList<(string Name, string Value)> rows)
    {
        var width = rows.Max(r => r.Name.Length);
        return rows.Select(r => $"  {r.Name.PadRight(width)}  {r.Value}");
    }

    private static IEnumerable<(string Name, string Value)> Flatten(JsonObject values, string prefix)
    {
        foreach (var (key, value) in values)
        {
            if (value is JsonObject nested && nested.Count > 0)
            {
                foreach (var row in Flatten(nested, $"{prefix}{key}."))
                {
                    yield return row;
                }
            }
            else
            {
                yield return ($"{prefix}{key}", Format(value));
            }
        }
    }

    private static string Format(JsonNode? node)
    {
        var text = node switch
        {
            null => "—",
            JsonValue v when v.TryGetValue(out double d) => d.ToString(Math.Abs(d) < 10 && d != Math.Floor(d) ? "0.0000" : "0.##", CultureInfo.InvariantCulture),
            JsonValue v when v.TryGetValue(out string? s) => s ?? "—",
            JsonArray a when a.Count > 8 => string.Create(CultureInfo.InvariantCulture, $"[{a.Count} items]"),
            _ => node.ToJsonString(),
        };
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxValueLength ? text : text[..(MaxValueLength - 1)] + "…";
    }
}
