using System.Globalization;
using JiebaNet.Segmenter;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using RAMDirectory = Lucene.Net.Store.RAMDirectory;
using Lucene.Net.Util;
using Parley.Bots.Knowledge;
using Parley.Nlu.Embeddings;
using Parley.Retrieval.Evaluation;
using Parley.Retrieval.Knowledge;

namespace Parley.Benchmarks;

/// <summary>
/// Chinese knowledge search on the shop-zh pack's knowledge checks: BM25 over SmartCn word segmentation (what
/// <see cref="Bm25KnowledgeIndex"/> does for Chinese passages) against BM25 over jieba.NET segmentation (search and
/// accurate modes), the bots' <see cref="LexicalKnowledgeSearch"/>, and, for comparison, the same Chinese questions
/// over the English shop documents with MiniLM vectors and hybrid search (the relevant file names are the same in
/// both packs).
/// </summary>
internal static class ChineseKnowledgeBenchmark
{
    public static async Task<int> RunAsync()
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical processors, {Environment.OSVersion}, .NET {Environment.Version}, load {BenchmarkEnvironment.LoadAverage()}");
        var root = FindRepository();
        var zh = Path.Combine(root, "samples", "bots", "shop-zh");
        var queries = await KnowledgeEvaluator.ReadQueriesAsync(Path.Combine(zh, "eval", "knowledge-checks.jsonl"));
        var chunking = WordPieceChunking.Create();
        var passages = await KnowledgeFolder.ReadPassagesAsync(Path.Combine(zh, "knowledge"), chunking);
        Console.WriteLine($"shop-zh: {passages.Count} passages, {queries.Count} knowledge checks");

        using (var smartCn = Bm25KnowledgeIndex.Create(passages))
        {
            Report("BM25, SmartCn", await KnowledgeEvaluator.EvaluateAsync(smartCn, queries));
        }

        JiebaNet.Segmenter.ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "Resources", "jieba");
        var jieba = new JiebaSegmenter();
        using (var search = new SegmentedBm25(passages, text => jieba.CutForSearch(text)))
        {
            Report("BM25, jieba search mode", await KnowledgeEvaluator.EvaluateAsync(search, queries));
        }

        using (var search = new SegmentedBm25(passages, text => jieba.Cut(text)))
        {
            Report("BM25, jieba accurate mode", await KnowledgeEvaluator.EvaluateAsync(search, queries));
        }

        using (var lexical = new LexicalKnowledgeSearch(Bm25KnowledgeIndex.Create(passages)))
        {
            Report("bots: LexicalKnowledgeSearch (SmartCn)", await KnowledgeEvaluator.EvaluateAsync(lexical, queries));
            await ThresholdsAsync(lexical, queries, Path.Combine(zh, "eval", "out-of-scope.jsonl"));
        }

        // Chinese questions over the English documents: no multilingual encoder is available, so this is MiniLM.
        using var encoder = new MiniLmEmbeddingGenerator();
        var english = await KnowledgeFolder.ReadPassagesAsync(Path.Combine(root, "samples", "bots", "shop", "knowledge"), chunking);
        using var hybrid = await HybridKnowledgeSearch.CreateAsync(encoder, english);
        Report("English docs, MiniLM vectors", await KnowledgeEvaluator.EvaluateAsync(hybrid.Dense, queries));
        Report("English docs, hybrid", await KnowledgeEvaluator.EvaluateAsync(hybrid, queries));
        var above = 0;
        var cosines = new List<double>();
        foreach (var query in queries)
        {
            var best = (await hybrid.Dense.SearchAsync(query.Query, 1)).FirstOrDefault();
            cosines.Add(best?.Score ?? 0);
            above += best is { Score: >= 0.45 } && query.Relevant.Contains(best.Passage.Source) ? 1 : 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"English docs: best cosine median {BenchmarkEnvironment.Median(cosines):0.000}, max {cosines.Max():0.000}; the English bot (threshold 0.45) would quote the right document for {above}/{queries.Count}"));
        return 0;
    }

    /// <summary>What a bot would do at each threshold: quote the right document, the wrong one, or fall back.</summary>
    private static async Task ThresholdsAsync(LexicalKnowledgeSearch search, IReadOnlyList<KnowledgeQuery> queries, string outOfScopeFile)
    {
        var outOfScope = File.ReadLines(outOfScopeFile).Where(l => l.Trim().Length > 0)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToArray();
        var inScope = new List<(double Score, bool Right)>();
        foreach (var query in queries)
        {
            var hits = await search.SearchAsync(query.Query, 3);
            inScope.Add(hits.Count == 0 ? (0, false) : (hits.Max(h => h.Score), query.Relevant.Contains(hits[0].Passage.Source)));
        }

        var oos = new List<double>();
        foreach (var text in outOfScope)
        {
            var hits = await search.SearchAsync(text, 3);
            oos.Add(hits.Count == 0 ? 0 : hits.Max(h => h.Score));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  out of scope: {text} → {oos[^1]:0.00} {(hits.Count > 0 ? hits[0].Passage.Id : "")}"));
        }

        foreach (var threshold in new[] { 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7 })
        {
            // KnowledgeChatClient quotes the first hit (BM25 order) whose score reaches the threshold.
            var right = 0;
            var wrong = 0;
            foreach (var query in queries)
            {
                var quoted = (await search.SearchAsync(query.Query, 3)).FirstOrDefault(h => h.Score >= threshold);
                right += quoted is not null && query.Relevant.Contains(quoted.Passage.Source) ? 1 : 0;
                wrong += quoted is not null && !query.Relevant.Contains(quoted.Passage.Source) ? 1 : 0;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threshold {threshold:0.00}: knowledge checks quoted right {right}/{queries.Count}, wrong {wrong}; out-of-scope rejected {oos.Count(s => s < threshold)}/{oos.Count}"));
        }
    }

    private static void Report(string name, KnowledgeMetrics m) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} recall@1 {m.RecallAt1:0.000}  recall@5 {m.RecallAt5:0.000}  MRR {m.Mrr:0.000}  p50 {m.P50Ms:0.00} ms"));

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("run from inside the repository");
    }

    /// <summary>BM25 (Lucene) over text cut into words by a segmenter, the words joined by spaces and lower-cased.</summary>
    private sealed class SegmentedBm25 : IKnowledgeSearch, IDisposable
    {
        private const LuceneVersion Version = LuceneVersion.LUCENE_48;
        private readonly IReadOnlyList<KnowledgePassage> _passages;
        private readonly Func<string, IEnumerable<string>> _segment;
        private readonly RAMDirectory _directory = new();
        private readonly Analyzer _analyzer = Analyzer.NewAnonymous((field, reader) =>
        {
            var tokenizer = new WhitespaceTokenizer(Version, reader);
            return new TokenStreamComponents(tokenizer, new LowerCaseFilter(Version, tokenizer));
        });

        private readonly DirectoryReader _reader;
        private readonly IndexSearcher _searcher;

        public SegmentedBm25(IReadOnlyList<KnowledgePassage> passages, Func<string, IEnumerable<string>> segment)
        {
            _passages = passages;
            _segment = segment;
            using (var writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { Similarity = new BM25Similarity() }))
            {
                for (var i = 0; i < passages.Count; i++)
                {
                    var p = passages[i];
                    writer.AddDocument(new Document { new StoredField("i", i), new TextField("t", Words($"{p.Title}\n{p.Heading}\n{p.Text}"), Field.Store.NO) });
                }
            }

            _reader = DirectoryReader.Open(_directory);
            _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
        }

        public int Count => _passages.Count;

        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default)
        {
            var boolean = new BooleanQuery();
            foreach (var word in Words(query).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct())
            {
                boolean.Add(new TermQuery(new Term("t", word)), Occur.SHOULD);
            }

            IReadOnlyList<KnowledgeHit> hits = boolean.Clauses.Count == 0
                ? []
                : _searcher.Search(boolean, Math.Min(top, Count)).ScoreDocs
                    .Select(d => new KnowledgeHit(_passages[_searcher.Doc(d.Doc).GetField("i").GetInt32Value()!.Value], d.Score))
                    .ToArray();
            return Task.FromResult(hits);
        }

        public void Dispose()
        {
            _reader.Dispose();
            _directory.Dispose();
            _analyzer.Dispose();
        }

        // Words only: whitespace and punctuation tokens are dropped, as Lucene's analysers do.
        private string Words(string text) => string.Join(' ', _segment(text)
            .Select(w => w.Trim().ToLowerInvariant())
            .Where(w => w.Length > 0 && w.Any(char.IsLetterOrDigit)));
    }
}
