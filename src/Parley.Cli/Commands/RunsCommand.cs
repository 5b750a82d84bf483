using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Cli.Hosting;
using Parley.Cli.Rendering;
using Parley.Core.Runs;

namespace Parley.Cli.Commands;

/// <summary><c>parley runs list|show|compare</c>: recorded training runs.</summary>
internal static class RunsCommand
{
    public static Command Create(CliContext context)
    {
        var database = new Option<string?>("--db") { Description = "The database: a SQLite file, or PostgreSQL as \"Host=…;Database=…\" or postgres://… (default: parley.db in the user's data folder).", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print JSON.", Recursive = true };
        var id = new Argument<string>("id") { Description = "The run id." };
        var first = new Argument<string>("first") { Description = "The first run id." };
        var second = new Argument<string>("second") { Description = "The second run id." };

        var list = new Command("list", "List training runs, newest first.");
        list.SetAction(async (result, cancellationToken) =>
        {
            var store = Open(result, database, context);
            using var owned = (IDisposable)store;
            var runs = await store.ListAsync(limit: 200, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(new JsonArray(runs.Select(r => (JsonNode)Summary(r)).ToArray()).ToJsonString()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var run in runs)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Id}  {run.Created.ToLocalTime():yyyy-MM-dd HH:mm}  {run.Kind}  data {Short(run.DataHash)}  {Headline(run.Metrics)}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var show = new Command("show", "Show a run: parameters, metrics and the per-epoch history as tables (all of it as JSON with --json).");
        show.Arguments.Add(id);
        show.SetAction(async (result, cancellationToken) =>
        {
            var store = Open(result, database, context);
            using var owned = (IDisposable)store;
            var run = await FindAsync(store, result.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (!result.GetValue(json))
            {
                foreach (var line in RunTable.Lines(run))
                {
                    await context.Out.WriteLineAsync(line).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            var node = Summary(run);
            node["parameters"] = run.Parameters.DeepClone();
            node["history"] = run.History.DeepClone();
            node["metrics"] = run.Metrics.DeepClone();
            await context.Out.WriteLineAsync(node.ToJsonString()).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var compare = new Command("compare", "Compare two runs side by side.");
        compare.Arguments.Add(first);
        compare.Arguments.Add(second);
        compare.SetAction(async (result, cancellationToken) =>
        {
            var store = Open(result, database, context);
            using var owned = (IDisposable)store;
            var a = await FindAsync(store, result.GetValue(first)!, cancellationToken).ConfigureAwait(false);
            var b = await FindAsync(store, result.GetValue(second)!, cancellationToken).ConfigureAwait(false);
            var rows = Rows(a, b);
            if (result.GetValue(json))
            {
                var node = new JsonObject { ["runs"] = new JsonArray(a.Id, b.Id), ["same_data"] = a.DataHash == b.DataHash };
                var fields = new JsonObject();
                foreach (var (name, left, right) in rows)
                {
                    fields[name] = new JsonArray(left?.DeepClone(), right?.DeepClone());
                }

                node["fields"] = fields;
                await context.Out.WriteLineAsync(node.ToJsonString()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var width = Math.Max(12, rows.Max(r => r.Name.Length));
            await context.Out.WriteLineAsync($"{"".PadRight(width)}  {a.Id,-24}  {b.Id,-24}").ConfigureAwait(false);
            foreach (var (name, left, right) in rows)
            {
                var marker = JsonNode.DeepEquals(left, right) ? " " : "*";
                await context.Out.WriteLineAsync($"{name.PadRight(width)}{marker} {Format(left),-24}  {Format(right),-24}").ConfigureAwait(false);
            }

            if (a.DataHash != b.DataHash)
            {
                await context.Out.WriteLineAsync("(the runs used different data: metrics are not directly comparable)").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var command = new Command("runs", "List, show and compare recorded training runs.");
        command.Options.Add(database);
        command.Options.Add(json);
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(compare);
        return command;
    }

    private static List<(string Name, JsonNode? Left, JsonNode? Right)> Rows(RunRecord a, RunRecord b)
    {
        var rows = new List<(string, JsonNode?, JsonNode?)>
        {
            ("created", JsonValue.Create(a.Created), JsonValue.Create(b.Created)),
            ("data_hash", JsonValue.Create(a.DataHash), JsonValue.Create(b.DataHash)),
            ("model", JsonValue.Create(a.ModelPath), JsonValue.Create(b.ModelPath)),
            ("epochs", JsonValue.Create(a.History.Count), JsonValue.Create(b.History.Count)),
        };
        foreach (var (prefix, left, right) in new[] { ("param.", a.Parameters, b.Parameters), ("metric.", a.Metrics, b.Metrics) })
        {
            foreach (var key in left.Select(p => p.Key).Union(right.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                var l = left[key];
                var r = right[key];
                if (l is JsonValue || r is JsonValue || (l is null && r is null))
                {
                    rows.Add((prefix + key, l, r));
                }
            }
        }

        return rows;
    }

    private static JsonObject Summary(RunRecord run) => new()
    {
        ["id"] = run.Id,
        ["kind"] = run.Kind,
        ["created"] = run.Created,
        ["data_hash"] = run.DataHash,
        ["model"] = run.ModelPath,
        ["epochs"] = run.History.Count,
    };

    private static string Headline(JsonObject metrics) =>
        string.Join("  ", new[] { "accuracy", "closed_accuracy", "in_scope_accuracy", "oos_recall", "macro_f1", "validation_accuracy" }
            .Where(k => metrics[k] is JsonValue)
            .Select(k => $"{k} {Format(metrics[k])}"));

    private static string Format(JsonNode? node) => node switch
    {
        null => "—",
        JsonValue v when v.TryGetValue(out double d) => d.ToString(Math.Abs(d) < 10 && d != Math.Floor(d) ? "0.0000" : "0.##", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue(out string? s) => s ?? "—",
        _ => node.ToJsonString(),
    };

    private static string Short(string? hash) => hash is null ? "—" : hash[..Math.Min(10, hash.Length)];

    private static IRunStore Open(ParseResult result, Option<string?> database, CliContext context)
    {
        var settings = SettingsLoader.Load(context, [new("Parley:Database", result.GetValue(database))]);
        return settings.Database().OpenRuns();
    }

    private static async Task<RunRecord> FindAsync(IRunStore store, string id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new CliException($"no run '{id}': 'parley runs list' shows the recorded runs");
}
