using Parley.Retrieval.Evaluation;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Tests.Evaluation;

public sealed class KnowledgeEvaluatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-kbeval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A clock that only moves when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }

    /// <summary>Returns canned hits per query and advances the clock by the query's latency.</summary>
    private sealed class CannedSearch(ManualClock clock, Dictionary<string, (string[] Ids, int Ms)> answers) : IKnowledgeSearch
    {
        public int Count => 10;

        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default)
        {
            var (ids, ms) = answers[query];
            clock.Ticks += TimeSpan.FromMilliseconds(ms).Ticks;
            IReadOnlyList<KnowledgeHit> hits = ids
                .Select((id, i) => new KnowledgeHit(new KnowledgePassage(id, id.Split('#')[0], "t", "h", "x", 0, 1), 1.0 - (i * 0.1)))
                .ToArray();
            return Task.FromResult(hits);
        }
    }

    [Fact]
    public async Task EvaluateAsync_HandComputedExample_GivesExpectedMetrics()
    {
        var clock = new ManualClock();
        var search = new CannedSearch(clock, new()
        {
            // Documents b, a, c: the relevant a is second (its two chunks count once).
            ["q1"] = (["b.md#1", "a.md#1", "a.md#2", "c.md#1"], 10),
            // Documents c, b, d, e, f, a: relevant c first, relevant a sixth.
            ["q2"] = (["c.md#1", "b.md#1", "d.md#1", "e.md#1", "f.md#1", "a.md#1"], 30),
        });
        KnowledgeQuery[] queries = [new("q1", ["a.md"]), new("q2", ["a.md", "c.md"])];

        var metrics = await KnowledgeEvaluator.EvaluateAsync(search, queries, clock);

        Assert.Equal(2, metrics.Queries);
        Assert.Equal((0 + 0.5) / 2, metrics.RecallAt1, 10);
        Assert.Equal((1 + 0.5) / 2, metrics.RecallAt5, 10);
        Assert.Equal((0.5 + 1) / 2, metrics.Mrr, 10);
        var ndcg1 = 1 / Math.Log2(3);
        var ndcg2 = (1 + (1 / Math.Log2(7))) / (1 + (1 / Math.Log2(3)));
        Assert.Equal((ndcg1 + ndcg2) / 2, metrics.NdcgAt10, 10);
        Assert.Equal(10, metrics.P50Ms, 6);
        Assert.Equal(30, metrics.P95Ms, 6);
    }

    [Fact]
    public async Task EvaluateAsync_RelevantDocumentNotRetrieved_CountsZero()
    {
        var clock = new ManualClock();
        var search = new CannedSearch(clock, new() { ["q"] = (["b.md#1"], 1) });

        var metrics = await KnowledgeEvaluator.EvaluateAsync(search, [new KnowledgeQuery("q", ["a.md"])], clock);

        Assert.Equal(0, metrics.RecallAt5);
        Assert.Equal(0, metrics.Mrr);
        Assert.Equal(0, metrics.NdcgAt10);
    }

    [Fact]
    public async Task ReadQueriesAsync_ValidFile_ReadsQueriesAndIgnoresOtherFields()
    {
        var path = Path.Combine(_dir, "q.jsonl");
        await File.WriteAllTextAsync(path, "{\"query\": \"where is my parcel\", \"relevant\": [\"orders.md\"], \"note\": 1}\n\n{\"query\": \"refund\", \"relevant\": [\"a.md\", \"b\\\\c.md\"]}\n");

        var queries = await KnowledgeEvaluator.ReadQueriesAsync(path);

        Assert.Equal(2, queries.Count);
        Assert.Equal("where is my parcel", queries[0].Query);
        Assert.Equal(["a.md", "b/c.md"], queries[1].Relevant);
    }

    [Fact]
    public async Task ReadQueriesAsync_LineWithoutRelevant_ThrowsNamingTheLine()
    {
        var path = Path.Combine(_dir, "bad.jsonl");
        await File.WriteAllTextAsync(path, "{\"query\": \"a\", \"relevant\": [\"a.md\"]}\n{\"query\": \"b\"}\n");

        var error = await Assert.ThrowsAsync<KnowledgeException>(() => KnowledgeEvaluator.ReadQueriesAsync(path));

        Assert.Contains("bad.jsonl:2", error.Message);
    }

    [Fact]
    public async Task ReadQueriesAsync_ShopQueries_HasAtLeastFiftyQueriesOnExistingDocuments()
    {
        var shop = Path.Combine(Parley.Testing.TestPaths.Root, "samples", "bots", "shop");

        var queries = await KnowledgeEvaluator.ReadQueriesAsync(Path.Combine(shop, "eval", "kb-queries.jsonl"));

        Assert.True(queries.Count >= 50, $"{queries.Count} queries");
        Assert.All(queries.SelectMany(q => q.Relevant), r => Assert.True(File.Exists(Path.Combine(shop, "knowledge", r)), r));
    }
}
