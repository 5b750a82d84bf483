using System.Globalization;
using Microsoft.Extensions.AI;
using Parley.Nlu.Embeddings;
using Parley.Nlu.Tokenization;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Evaluation;
using Parley.Retrieval.Knowledge;

namespace Parley.Benchmarks;

/// <summary>
/// Retrieval quality of the search settings on a knowledge folder and its question sets: MRR and recall@5 by document,
/// and the share answered (the first document relevant and its cosine at or above the threshold). Question sets are
/// JSONL files of <c>{"query", "relevant"}</c>; each also runs wrapped in a greeting and thanks ("NAME+wrap"), the way
/// people write to a shop. Embeddings are cached in a folder under the temp directory.
/// </summary>
internal static class KnowledgeQualityBenchmark
{
    public const string Usage = "Parley.Benchmarks kb-quality --docs DIR --threshold 0.45 SET.jsonl... [--wrap] [--encoder all-MiniLM-L6-v2|snowflake-arctic-embed-xs]";

    private static readonly KnowledgeQueryOptions SplitOnly = new() { CorrectTypos = false };
    private static readonly KnowledgeQueryOptions TyposOnly = new() { SplitSentences = false };

    private static readonly (string Name, Func<HybridKnowledgeSearch, IKnowledgeSearch> Create)[] Settings =
    [
        ("bm25", h => h.Lexical),
        ("vector as written (before)", h => h.Dense.WithQueryOptions(KnowledgeQueryOptions.AsWritten)),
        ("vector +split", h => h.Dense.WithQueryOptions(SplitOnly)),
        ("vector +typos", h => h.Dense.WithQueryOptions(TyposOnly)),
        ("vector +split+typos", h => h.Dense.WithQueryOptions(KnowledgeQueryOptions.Default)),
        ("hybrid w0.3 as written (before)", h => Hybrid(h, 0.3, KnowledgeQueryOptions.AsWritten, fuzzy: false)),
        ("hybrid w0.3 +fuzzy", h => Hybrid(h, 0.3, KnowledgeQueryOptions.AsWritten, fuzzy: true)),
        ("hybrid w0.3 +split+typos+fuzzy", h => Hybrid(h, 0.3, KnowledgeQueryOptions.Default, fuzzy: true)),
        ("hybrid w0.2 +split+typos+fuzzy", h => Hybrid(h, 0.2, KnowledgeQueryOptions.Default, fuzzy: true)),
        ("hybrid w0.1 +split+typos+fuzzy", h => Hybrid(h, 0.1, KnowledgeQueryOptions.Default, fuzzy: true)),
        ("hybrid w0.5 +split+typos+fuzzy", h => Hybrid(h, 0.5, KnowledgeQueryOptions.Default, fuzzy: true)),
        ("hybrid w0.3 k20 +split+typos+fuzzy", h => Hybrid(h, 0.3, KnowledgeQueryOptions.Default, fuzzy: true, k: 20)),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        string? docs = null;
        var threshold = 0.45;
        var wrap = false;
        var model = SentenceEncoderModel.MiniLm;
        var sets = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--docs": docs = args[++i]; break;
                case "--threshold": threshold = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--wrap": wrap = true; break;
                case "--encoder": model = SentenceEncoderModel.Find(args[++i]) ?? throw new ArgumentException($"unknown encoder '{args[i]}'"); break;
                default: sets.Add(args[i]); break;
            }
        }

        if (docs is null || sets.Count == 0)
        {
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        Console.WriteLine($"machine: {Environment.ProcessorCount} logical processors, load {BenchmarkEnvironment.LoadAverage()}");
        Console.WriteLine($"knowledge encoder: {model.Name} (query prefix: {(model.QueryPrefix is null ? "none" : $"\"{model.QueryPrefix}\"")})");
        using var encoder = new MiniLmEmbeddingGenerator(new EncoderOptions { Model = model });
        var embeddings = new EmbeddingGeneratorBuilder<string, Embedding<float>>(encoder)
            .UseDiskCache(Path.Combine(Path.GetTempPath(), "parley-bench-embeddings"))
            .Build();
        var tokenizer = BertWordPieceTokenizer.CreateMiniLm();
        var chunking = new ChunkingOptions { CountTokens = text => tokenizer.Tokenize(text).Count, CounterName = "minilm-wordpiece" };
        using var built = await HybridKnowledgeSearch.BuildAsync(embeddings, docs, chunking: chunking);
        // Queries through the query side of the model (its prefix, when it has one); passages were embedded as they are.
        var hybrid = new HybridKnowledgeSearch(built.Lexical, built.Dense.WithQueryEmbeddings(QueryPrefixEmbeddingGenerator.ForQueries(embeddings, model)));
        Console.WriteLine($"{hybrid.Count} passages from {docs}; answered = first document relevant and cosine >= {threshold.ToString(CultureInfo.InvariantCulture)}");

        var named = new List<(string Name, IReadOnlyList<KnowledgeQuery> Queries)>();
        foreach (var path in sets)
        {
            var queries = await KnowledgeEvaluator.ReadQueriesAsync(path);
            named.Add((Path.GetFileNameWithoutExtension(path), queries));
            if (wrap)
            {
                named.Add((Path.GetFileNameWithoutExtension(path) + "+wrap", queries.Select(q => q with { Query = Wrap(q.Query) }).ToArray()));
            }
        }

        Console.WriteLine($"{"setting",-32} " + string.Join(" ", named.Select(n => $"{n.Name + " MRR/R@5/ans",-36}")));
        foreach (var (name, create) in Settings)
        {
            var search = create(hybrid);
            var cells = new List<string>();
            foreach (var (_, queries) in named)
            {
                var metrics = await KnowledgeEvaluator.EvaluateAsync(search, queries);
                var answered = 0;
                foreach (var query in queries)
                {
                    var hits = await search.SearchAsync(query.Query, 1);
                    if (hits.Count > 0 && query.Relevant.Contains(hits[0].Passage.Source) && (search is Bm25KnowledgeIndex || hits[0].Score >= threshold))
                    {
                        answered++;
                    }
                }

                cells.Add(string.Create(CultureInfo.InvariantCulture, $"{metrics.Mrr:0.000} / {metrics.RecallAt5:0.000} / {answered,3}/{queries.Count,-3}").PadRight(36));
            }

            Console.WriteLine($"{name,-32} " + string.Join(" ", cells));
        }

        return 0;
    }

    private static string Wrap(string query) =>
        $"Hi there, good morning! I bought a few things from you last month and mostly I am happy with them. {query} Thanks a lot, and have a nice day.";

    private static HybridKnowledgeSearch Hybrid(HybridKnowledgeSearch h, double lexical, KnowledgeQueryOptions query, bool fuzzy, int k = HybridSearchOptions.DefaultK) =>
        new(h.Lexical, h.Dense.WithQueryOptions(query), new HybridSearchOptions { LexicalWeight = lexical, FuzzyTerms = fuzzy, K = k });
}
