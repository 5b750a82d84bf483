using System.Diagnostics;
using System.Globalization;
using Parley.Nlu.Embeddings;
using Parley.Nlu.Tokenization;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Indexing;
using Parley.Retrieval.Knowledge;

namespace Parley.Benchmarks;

/// <summary>
/// Knowledge retrieval at scale: indexing 1,000 synthetic Markdown documents on disk (MiniLM embeddings, no cache),
/// re-indexing after one file changed and with nothing changed (a bot's start-up), and hybrid query latency at 10k
/// and 100k synthetic passages. Passages are cut at 200 MiniLM word pieces with 30 of overlap, counted by the
/// encoder's own tokenizer, as bots and <c>parley kb index</c> do.
/// </summary>
internal static class KnowledgeBenchmark
{
    private static readonly string[] Words =
    [
        "order", "parcel", "refund", "delivery", "invoice", "warranty", "return", "account", "password", "voucher",
        "shipping", "courier", "tracking", "payment", "card", "discount", "size", "exchange", "store", "opening",
        "hours", "customer", "service", "product", "battery", "charger", "screen", "repair", "guarantee", "price",
        "subscription", "cancel", "newsletter", "address", "postcode", "country", "customs", "duty", "express", "standard",
    ];

    // The query corpus draws from 5,000 pseudo-words as well: with only the 40 words above, every query term would
    // occur in every passage, which no real knowledge base does and which makes BM25 score the whole corpus.
    private static readonly string[] Vocabulary = [.. Words, .. Enumerable.Range(0, 5000).Select(i => string.Create(CultureInfo.InvariantCulture, $"term{i}"))];

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical processors, {Environment.OSVersion}, .NET {Environment.Version}, load {BenchmarkEnvironment.LoadAverage()}");
        var root = Directory.CreateTempSubdirectory("parley-kb-bench-").FullName;
        try
        {
            using var encoder = new MiniLmEmbeddingGenerator(intraOpThreads: args.Threads);
            var docs = Path.Combine(root, "docs");
            var bytes = WriteCorpus(docs, 1000, seed: 42);
            var index = Path.Combine(root, "index");

            var tokenizer = BertWordPieceTokenizer.CreateMiniLm();
            var chunking = new ChunkingOptions { CountTokens = text => tokenizer.Tokenize(text).Count, CounterName = "minilm-wordpiece" };
            var clock = Stopwatch.StartNew();
            var report = await KnowledgeIndexStore.BuildAsync(docs, index, encoder, chunking: chunking);
            var full = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index: {report.Files} files, {bytes / 1e6:0.00} MB, {report.Chunks} chunks in {full:0.0} s (target <= 60 s)"));

            var changes = new List<double>();
            for (var r = 0; r < args.Repetitions; r++)
            {
                await File.AppendAllTextAsync(Path.Combine(docs, "doc-0500.md"), $"\nUpdated paragraph {r}: the refund arrives within five days.\n");
                clock.Restart();
                var again = await KnowledgeIndexStore.BuildAsync(docs, index, encoder, chunking: chunking);
                changes.Add(clock.Elapsed.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"re-index: {again.ChangedFiles} changed, {again.UnchangedFiles} unchanged, {again.EmbeddedChunks} embedded in {changes[^1]:0.000} s"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"re-index after one change: median {BenchmarkEnvironment.Median(changes):0.000} s (target <= 2 s)"));
            var checks = new List<double>();
            for (var r = 0; r < args.Repetitions; r++)
            {
                clock.Restart();
                var same = await KnowledgeIndexStore.BuildAsync(docs, index, encoder, chunking: chunking);
                checks.Add(clock.Elapsed.TotalSeconds);
                if (!same.UpToDate)
                {
                    throw new InvalidOperationException("nothing changed, yet the index was rewritten");
                }
            }

            clock.Restart();
            using (await KnowledgeIndexStore.LoadAsync(index, encoder))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"start-up check with nothing changed: median {BenchmarkEnvironment.Median(checks):0.000} s (nothing written); opening the index: {clock.Elapsed.TotalSeconds:0.000} s"));
            }
            foreach (var (count, target) in new[] { (10_000, 10), (100_000, 50) })
            {
                await QueryAsync(encoder, count, target, args.Repetitions);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static long WriteCorpus(string folder, int documents, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        long bytes = 0;
        for (var d = 0; d < documents; d++)
        {
            var text = $"# {Sentence(random, 3)} {d}\n\n";
            for (var s = 0; s < 3; s++)
            {
                text += $"## {Sentence(random, 2)}\n\n{Sentence(random, 30)}.\n\n{Sentence(random, 0)}\n\n";
            }

            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"doc-{d:0000}.md"));
            File.WriteAllText(path, text);
            bytes += new FileInfo(path).Length;
        }

        return bytes;
    }

    private static string Sentence(Random random, int words, string[]? vocabulary = null) =>
        words == 0
            ? "- " + Sentence(random, 8) + "\n- " + Sentence(random, 8)
            : string.Join(' ', Enumerable.Range(0, words).Select(_ => (vocabulary ?? Words)[random.Next((vocabulary ?? Words).Length)]));

    // 100k texts would take too long to embed for a latency benchmark; passage vectors are random unit vectors instead
    // (exact search costs the same whatever the values), while queries are really encoded by MiniLM.
    private static async Task QueryAsync(MiniLmEmbeddingGenerator encoder, int count, int targetMs, int repetitions)
    {
        var random = new Random(7);
        var passages = new KnowledgePassage[count];
        for (var i = 0; i < count; i++)
        {
            var text = Sentence(random, 40, Vocabulary);
            passages[i] = new KnowledgePassage($"doc-{i / 5}.md#s{i % 5}", $"doc-{i / 5}.md", "Doc", Sentence(random, 2, Vocabulary), text, 0, text.Length);
        }

        const int dimensions = MiniLmEmbeddingGenerator.Dimensions;
        var matrix = new float[count * dimensions];
        for (var i = 0; i < count; i++)
        {
            var row = matrix.AsSpan(i * dimensions, dimensions);
            double norm = 0;
            for (var j = 0; j < dimensions; j++)
            {
                row[j] = (float)((random.NextDouble() * 2) - 1);
                norm += row[j] * row[j];
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(row, (float)Math.Sqrt(norm), row);
        }

        var clock = Stopwatch.StartNew();
        using var search = new HybridKnowledgeSearch(Bm25KnowledgeIndex.Create(passages), DenseKnowledgeIndex.FromVectors(encoder, passages, matrix, dimensions));
        var build = clock.Elapsed.TotalSeconds;
        var queries = Enumerable.Range(0, 100).Select(_ => Sentence(random, 6, Vocabulary) + "?").ToArray();
        await search.SearchAsync("warm up", 5);
        var latencies = new List<double>();
        for (var r = 0; r < repetitions; r++)
        {
            foreach (var query in queries)
            {
                clock.Restart();
                await search.SearchAsync(query, 5);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        var values = latencies.ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hybrid query at {count} chunks: p50 {BenchmarkEnvironment.Percentile(values, 50):0.00} ms, p95 {BenchmarkEnvironment.Percentile(values, 95):0.00} ms over {values.Length} queries (target p50 <= {targetMs} ms; BM25 in-memory build {build:0.0} s)"));
    }
}
