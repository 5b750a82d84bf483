using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Core.Runs;
using Parley.Storage.Sqlite;

namespace Parley.Cli.Tests;

public sealed class RunsCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task SeedAsync()
    {
        using var store = new SqliteRunStore(new SqliteConversationStoreOptions { Path = _cli.Database });
        await store.SaveAsync(new RunRecord
        {
            Id = "run-a", Kind = "intent-model", Created = DateTimeOffset.Parse("2026-11-28T10:00:00Z"), DataHash = "h1",
            Parameters = new JsonObject { ["lr"] = 0.01, ["seed"] = 42 },
            History = [new JsonObject { ["epoch"] = 1 }, new JsonObject { ["epoch"] = 2 }],
            Metrics = new JsonObject { ["closed_accuracy"] = 0.95 },
        });
        await store.SaveAsync(new RunRecord
        {
            Id = "run-b", Kind = "intent-model", Created = DateTimeOffset.Parse("2026-11-28T11:00:00Z"), DataHash = "h1",
            Parameters = new JsonObject { ["lr"] = 0.001, ["seed"] = 42 },
            Metrics = new JsonObject { ["closed_accuracy"] = 0.93 },
        });
    }

    [Fact]
    public async Task List_ShowsRunsNewestFirstWithHeadlineMetrics()
    {
        await SeedAsync();

        var result = await _cli.RunAsync(["runs", "list"]);

        result.AssertSucceeded();
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("run-b", lines[0]);
        Assert.Contains("closed_accuracy 0.9500", lines[1]);
    }

    [Fact]
    public async Task CompareJson_ReportsBothValuesOfEachField()
    {
        await SeedAsync();

        var result = await _cli.RunAsync(["runs", "compare", "run-a", "run-b", "--json"]);

        var json = JsonDocument.Parse(result.Output).RootElement;
        Assert.True(json.GetProperty("same_data").GetBoolean());
        var lr = json.GetProperty("fields").GetProperty("param.lr");
        Assert.Equal(0.01, lr[0].GetDouble());
        Assert.Equal(0.001, lr[1].GetDouble());
        Assert.Equal(2, json.GetProperty("fields").GetProperty("epochs")[0].GetInt32());
    }

    [Fact]
    public async Task Compare_Table_MarksDifferences()
    {
        await SeedAsync();

        var result = await _cli.RunAsync(["runs", "compare", "run-a", "run-b"]);

        Assert.Contains(result.Output.Split('\n'), l => l.StartsWith("param.lr") && l.Contains('*'));
        Assert.Contains(result.Output.Split('\n'), l => l.StartsWith("param.seed") && !l.Contains('*'));
    }

    [Fact]
    public async Task Show_WithoutJson_PrintsTablesOfParametersMetricsAndHistory()
    {
        using (var store = new SqliteRunStore(new SqliteConversationStoreOptions { Path = _cli.Database }))
        {
            await store.SaveAsync(new RunRecord
            {
                Id = "run-t", Kind = "intent-model", Created = DateTimeOffset.Parse("2026-11-28T10:00:00Z"), DataHash = "h1", ModelPath = "models/mine",
                Parameters = new JsonObject { ["lr"] = 0.01, ["seed"] = 42, ["encoder"] = new JsonObject { ["method"] = "lora", ["rank"] = 8 } },
                History = [new JsonObject { ["epoch"] = 1, ["train_loss"] = 1.25, ["val_acc"] = 0.5 }, new JsonObject { ["epoch"] = 2, ["train_loss"] = 0.5, ["val_acc"] = 0.875 }],
                Metrics = new JsonObject { ["closed_accuracy"] = 0.95, ["per_intent"] = new JsonArray(Enumerable.Range(0, 20).Select(i => (JsonNode?)i).ToArray()) },
            });
        }

        var result = await _cli.RunAsync(["runs", "show", "run-t"]);
        var json = await _cli.RunAsync(["runs", "show", "run-t", "--json"]);

        result.AssertSucceeded();
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("run-t  intent-model  ", lines[0]);
        Assert.Contains("  model   models/mine", lines);
        Assert.Contains("  lr              0.0100", lines);
        Assert.Contains("  encoder.method  lora", lines);
        Assert.Contains("  closed_accuracy  0.9500", lines);
        Assert.Contains("  per_intent       [20 items]", lines);
        var history = lines.IndexOf("History");
        Assert.Equal(["  epoch  train_loss  val_acc", "      1      1.2500   0.5000", "      2      0.5000   0.8750"], lines.Skip(history + 1).Take(3));
        Assert.Equal(2, JsonDocument.Parse(json.Output).RootElement.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task Show_UnknownRun_FailsWithReason()
    {
        var result = await _cli.RunAsync(["runs", "show", "nope"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no run 'nope'", result.Error);
    }
}
