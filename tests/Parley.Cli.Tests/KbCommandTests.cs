using System.Text.Json;
using Parley.Testing;

namespace Parley.Cli.Tests;

public sealed class KbCommandTests : IDisposable
{
    private static readonly string Shop = Path.Combine(Parley.Testing.TestPaths.Root, "samples", "bots", "shop");
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("hybrid")]
    [InlineData("bm25")]
    [InlineData("vector")]
    public async Task KbSearch_Json_PrintsResultsWithSourceTitleHeadingTextScore(string mode)
    {
        var result = await _cli.RunAsync(["kb", "search", "--docs", Path.Combine(Shop, "knowledge"), "-k", "3", "--mode", mode, "--json", "how", "long", "is", "a", "gift", "card", "valid?"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var results = result.Json().GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        var first = results[0];
        Assert.Equal("gift-cards.md", first.GetProperty("source").GetString());
        Assert.Equal("Gift Cards", first.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("heading").GetString()));
        Assert.False(string.IsNullOrEmpty(first.GetProperty("text").GetString()));
        Assert.Equal(JsonValueKind.Number, first.GetProperty("score").ValueKind);
    }

    [Fact]
    public async Task KbSearch_Text_NamesEachPassageByItsDocumentsTitleAndSection()
    {
        var docs = Path.Combine(_cli.Directory, "docs");
        Directory.CreateDirectory(docs);
        await File.WriteAllTextAsync(Path.Combine(docs, "returns.md"), "---\ntitle: \"Returning things\"\n---\n\n## Deadlines\n\nSend it back within 30 days of delivery for a full refund.\n");

        var result = await _cli.RunAsync(["kb", "search", "--docs", docs, "-k", "1", "--mode", "bm25", "send", "it", "back"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("1. returns.md — Returning things › Deadlines (bm25 ", result.Output.TrimStart());
    }

    [Fact]
    public async Task KbSearch_MissingFolder_FailsAsEveryMissingFileDoes()
    {
        var result = await _cli.RunAsync(["kb", "search", "--docs", Path.Combine(_cli.Directory, "none"), "refunds"]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
    }

    [Fact]
    public async Task KbEval_Json_ReportsEveryMetricForEachMode()
    {
        var queries = Path.Combine(_cli.Directory, "q.jsonl");
        await File.WriteAllLinesAsync(queries,
        [
            "{\"query\": \"can I swap my gift card for cash?\", \"relevant\": [\"gift-cards.md\"]}",
            "{\"query\": \"how much does standard delivery cost to the Netherlands?\", \"relevant\": [\"shipping.md\"]}",
        ]);

        var result = await _cli.RunAsync(["kb", "eval", "--docs", Path.Combine(Shop, "knowledge"), "--queries", queries, "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var modes = result.Json().GetProperty("modes");
        foreach (var mode in new[] { "bm25", "vector", "hybrid" })
        {
            var metrics = modes.GetProperty(mode);
            foreach (var key in new[] { "recall_at_1", "recall_at_5", "mrr", "ndcg_at_10", "p50_ms", "p95_ms" })
            {
                var value = metrics.GetProperty(key).GetDouble();
                Assert.True(value >= 0, $"{mode}.{key} = {value}");
            }

            Assert.Equal(1.0, metrics.GetProperty("recall_at_5").GetDouble());
        }
    }

    [Fact]
    public async Task KbEval_LexicalWeightZero_HybridRanksAsVector()
    {
        var queries = Path.Combine(TestPaths.ShopBot, "eval", "kb-queries.jsonl");

        var result = await _cli.RunAsync(["kb", "eval", "--docs", Path.Combine(Shop, "knowledge"), "--queries", queries, "--lexical-weight", "0", "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var modes = result.Json().GetProperty("modes");
        foreach (var key in new[] { "recall_at_1", "recall_at_5", "mrr", "ndcg_at_10" })
        {
            Assert.Equal(modes.GetProperty("vector").GetProperty(key).GetDouble(), modes.GetProperty("hybrid").GetProperty(key).GetDouble());
        }
    }

    [Fact]
    public async Task KbEval_MalformedQueries_FailsNamingTheLine()
    {
        var queries = Path.Combine(_cli.Directory, "bad.jsonl");
        await File.WriteAllTextAsync(queries, "{\"query\": \"x\"}\n");

        var result = await _cli.RunAsync(["kb", "eval", "--docs", Path.Combine(Shop, "knowledge"), "--queries", queries]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("bad.jsonl:1", result.Error);
    }

    private string CopyShopKnowledge()
    {
        var docs = Path.Combine(_cli.Directory, "docs");
        Directory.CreateDirectory(docs);
        foreach (var file in Directory.GetFiles(Path.Combine(Shop, "knowledge")))
        {
            File.Copy(file, Path.Combine(docs, Path.GetFileName(file)));
        }

        return docs;
    }

    [Fact]
    public async Task KbIndex_ThenSearchWithIndex_FindsThePassageAndReindexReusesEverything()
    {
        var docs = CopyShopKnowledge();
        await File.WriteAllBytesAsync(Path.Combine(docs, "broken.pdf"), "%PDF-1.4 not really"u8.ToArray());
        var index = Path.Combine(_cli.Directory, "index");

        var built = await _cli.RunAsync(["kb", "index", "--docs", docs, "--index", index, "--json"]);

        Assert.True(built.ExitCode == 0, built.Error);
        var report = built.Json();
        Assert.True(report.GetProperty("chunks").GetInt32() > 0);
        Assert.Equal(report.GetProperty("chunks").GetInt32(), report.GetProperty("embedded").GetInt32());
        Assert.Equal("broken.pdf", report.GetProperty("skipped")[0].GetProperty("source").GetString());
        Assert.Contains("warning: skipped broken.pdf", built.Error);
        Assert.Contains("embedding", built.Error);

        var search = await _cli.RunAsync(["kb", "search", "--index", index, "-k", "1", "--json", "how", "long", "is", "a", "gift", "card", "valid?"]);
        Assert.True(search.ExitCode == 0, search.Error);
        Assert.Equal("gift-cards.md", search.Json().GetProperty("results")[0].GetProperty("source").GetString());

        var again = await _cli.RunAsync(["kb", "index", "--docs", docs, "--index", index]);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("Up to date: 18 files", again.Output);
        Assert.Contains("1 skipped", again.Output);

        await File.AppendAllTextAsync(Path.Combine(docs, "gift-cards.md"), "\n## Corporate orders\n\nCompanies can order 50 or more gift cards by email.\n");
        var changed = await _cli.RunAsync(["kb", "index", "--docs", docs, "--index", index, "--json"]);
        Assert.True(changed.ExitCode == 0, changed.Error);
        Assert.Equal((0, 1, 17), (changed.Json().GetProperty("added").GetInt32(), changed.Json().GetProperty("changed").GetInt32(), changed.Json().GetProperty("unchanged").GetInt32()));
        Assert.False(changed.Json().GetProperty("up_to_date").GetBoolean());
    }

    [Fact]
    public async Task KbEval_WithIndex_ReportsEveryMode()
    {
        var index = Path.Combine(_cli.Directory, "index");
        var built = await _cli.RunAsync(["kb", "index", "--docs", Path.Combine(Shop, "knowledge"), "--index", index]);
        Assert.True(built.ExitCode == 0, built.Error);
        var queries = Path.Combine(_cli.Directory, "q.jsonl");
        await File.WriteAllLinesAsync(queries, ["{\"query\": \"can I swap my gift card for cash?\", \"relevant\": [\"gift-cards.md\"]}"]);

        var result = await _cli.RunAsync(["kb", "eval", "--index", index, "--queries", queries, "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(1.0, result.Json().GetProperty("modes").GetProperty("hybrid").GetProperty("recall_at_5").GetDouble());
    }

    [Fact]
    public async Task KbSearch_DamagedIndex_SaysToReindex()
    {
        var index = Path.Combine(_cli.Directory, "index");
        Directory.CreateDirectory(index);
        await File.WriteAllTextAsync(Path.Combine(index, "manifest.json"), "{\"format_version\": 0}");

        var result = await _cli.RunAsync(["kb", "search", "--index", index, "refunds"]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("re-index with parley kb index", result.Error);
    }

    [Fact]
    public async Task KbSearch_NeitherDocsNorIndex_FailsWithUsageError()
    {
        var result = await _cli.RunAsync(["kb", "search", "refunds"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--index", result.Error);
    }
}
