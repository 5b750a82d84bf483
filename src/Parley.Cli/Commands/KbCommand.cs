using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Cli.Hosting;
using Parley.Retrieval;
using Parley.Retrieval.Evaluation;
using Parley.Retrieval.Knowledge;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley kb search|eval</c>: search a knowledge folder and measure retrieval quality. The index is built in
/// memory from <c>--docs</c> on each run (embeddings come from the on-disk cache).
/// </summary>
internal static class KbCommand
{
    private const string Hybrid = "hybrid";
    private const string Bm25 = "bm25";
    private const string Vector = "vector";

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var command = new Command("kb", "Search knowledge documents and evaluate retrieval.");
        command.Subcommands.Add(Search(context));
        command.Subcommands.Add(Evaluate(context));
        return command;
    }

    private static Option<string> DocsOption() =>
        new("--docs") { Description = "The knowledge folder (Markdown and text files).", Required = true };

    private static Command Search(CliContext context)
    {
        var docs = DocsOption();
        var top = new Option<int>("-k", "--top") { Description = "The number of passages.", DefaultValueFactory = _ => 5 };
        var mode = new Option<string>("--mode") { Description = "hybrid (BM25 and vectors fused), bm25 or vector.", DefaultValueFactory = _ => Hybrid };
        mode.AcceptOnlyFromAmong(Hybrid, Bm25, Vector);
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var query = new Argument<string[]>("query") { Description = "The question.", Arity = ArgumentArity.OneOrMore };

        var command = new Command("search", "Find the passages that best answer a question. Hybrid and vector scores are cosine similarities; BM25 scores are unbounded.");
        var lexicalWeight = LexicalWeightOption();
        foreach (var option in new Option[] { docs, top, mode, lexicalWeight, json })
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(query);
        command.SetAction(async (result, cancellationToken) =>
        {
            var k = result.GetValue(top);
            if (k < 1)
            {
                throw new CliException("-k must be at least 1.", exitCode: ExitCodes.Usage);
            }

            var fusion = new HybridSearchOptions { LexicalWeight = result.GetValue(lexicalWeight) };
            using var index = await BuildAsync(context, result.GetValue(docs)!, fusion, cancellationToken).ConfigureAwait(false);
            var search = Select(index, result.GetValue(mode)!);
            var hits = await search.SearchAsync(string.Join(' ', result.GetValue(query)!), k, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                var results = new JsonArray();
                foreach (var hit in hits)
                {
                    results.Add(new JsonObject
                    {
                        ["source"] = hit.Passage.Source,
                        ["title"] = hit.Passage.Title,
                        ["heading"] = hit.Passage.Heading,
                        ["text"] = hit.Passage.Text,
                        ["score"] = hit.Score,
                    });
                }

                await context.Out.WriteLineAsync(new JsonObject { ["results"] = results }.ToJsonString(Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (hits.Count == 0)
            {
                await context.Out.WriteLineAsync("No passages found.").ConfigureAwait(false);
            }

            for (var i = 0; i < hits.Count; i++)
            {
                var hit = hits[i];
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{i + 1}. {hit.Passage.Source} — {(hit.Passage.Heading.Length > 0 ? hit.Passage.Heading : hit.Passage.Title)} (score {hit.Score:0.0000})")).ConfigureAwait(false);
                await context.Out.WriteLineAsync("   " + Snippet(hit.Passage.Text)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Evaluate(CliContext context)
    {
        var docs = DocsOption();
        var queries = new Option<string>("--queries") { Description = "A JSONL file of {\"query\": str, \"relevant\": [paths relative to --docs]}.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("eval", "Measure recall@1, recall@5, MRR, nDCG@10 and latency for bm25, vector and hybrid search.");
        var lexicalWeight = LexicalWeightOption();
        foreach (var option in new Option[] { docs, queries, lexicalWeight, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            IReadOnlyList<KnowledgeQuery> set;
            try
            {
                set = await KnowledgeEvaluator.ReadQueriesAsync(Path.GetFullPath(result.GetValue(queries)!, context.CurrentDirectory), cancellationToken).ConfigureAwait(false);
            }
            catch (KnowledgeException e)
            {
                throw new CliException(e.Message, e, ExitCodes.Usage);
            }

            var fusion = new HybridSearchOptions { LexicalWeight = result.GetValue(lexicalWeight) };
            using var index = await BuildAsync(context, result.GetValue(docs)!, fusion, cancellationToken).ConfigureAwait(false);

            // Queries are encoded without the embedding cache, so vector and hybrid latencies include encoding.
            // Not disposed: it shares the BM25 index that "index" disposes.
            var uncached = new HybridKnowledgeSearch(index.Lexical, index.Dense.WithQueryEmbeddings(LocalEmbeddings.Uncached), fusion);
            await uncached.SearchAsync("warm up", 1, cancellationToken).ConfigureAwait(false);
            var modes = new (string Name, IKnowledgeSearch Search)[] { (Bm25, index.Lexical), (Vector, uncached.Dense), (Hybrid, uncached) };
            var report = new JsonObject();
            var lines = new List<string>();
            foreach (var (name, search) in modes)
            {
                var m = await KnowledgeEvaluator.EvaluateAsync(search, set, cancellationToken: cancellationToken).ConfigureAwait(false);
                report[name] = new JsonObject
                {
                    ["queries"] = m.Queries,
                    ["recall_at_1"] = Math.Round(m.RecallAt1, 4),
                    ["recall_at_5"] = Math.Round(m.RecallAt5, 4),
                    ["mrr"] = Math.Round(m.Mrr, 4),
                    ["ndcg_at_10"] = Math.Round(m.NdcgAt10, 4),
                    ["p50_ms"] = Math.Round(m.P50Ms, 3),
                    ["p95_ms"] = Math.Round(m.P95Ms, 3),
                };
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-7} {m.RecallAt1,10:0.000} {m.RecallAt5,10:0.000} {m.Mrr,7:0.000} {m.NdcgAt10,8:0.000} {m.P50Ms,8:0.00} {m.P95Ms,8:0.00}"));
            }

            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(new JsonObject { ["queries"] = set.Count, ["passages"] = index.Count, ["modes"] = report }.ToJsonString(Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{set.Count} queries over {index.Count} passages")).ConfigureAwait(false);
            await context.Out.WriteLineAsync("mode     recall@1   recall@5     MRR  nDCG@10  p50 ms   p95 ms").ConfigureAwait(false);
            foreach (var line in lines)
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<double> LexicalWeightOption() =>
        new("--lexical-weight") { Description = "The weight of the BM25 ranking in hybrid fusion (the vector ranking weighs 1).", DefaultValueFactory = _ => new HybridSearchOptions().LexicalWeight };

    private static async Task<HybridKnowledgeSearch> BuildAsync(CliContext context, string docs, HybridSearchOptions options, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(docs, context.CurrentDirectory);
        if (!Directory.Exists(folder))
        {
            throw new CliException($"{folder}: the knowledge folder does not exist.", exitCode: ExitCodes.Usage);
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e, ExitCodes.Usage);
        }

        return await HybridKnowledgeSearch.BuildAsync(LocalEmbeddings.Create(context), folder, options, cancellationToken).ConfigureAwait(false);
    }

    private static IKnowledgeSearch Select(HybridKnowledgeSearch index, string mode) => mode switch
    {
        Bm25 => index.Lexical,
        Vector => index.Dense,
        _ => index,
    };

    private static string Snippet(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 160 ? flat : flat[..157] + "...";
    }
}
