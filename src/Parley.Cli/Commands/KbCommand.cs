using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Bots.Knowledge;
using Parley.Cli.Hosting;
using Parley.Cli.Rendering;
using Parley.Retrieval;
using Parley.Retrieval.Evaluation;
using Parley.Retrieval.Indexing;
using Parley.Retrieval.Knowledge;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley kb index|search|eval</c>: build an on-disk knowledge index, search it and measure retrieval quality.
/// Search and eval read the index from <c>--index</c>, or build one in memory from <c>--docs</c> (embeddings come
/// from the on-disk cache).
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
        command.Subcommands.Add(Index(context));
        command.Subcommands.Add(Search(context));
        command.Subcommands.Add(Evaluate(context));
        return command;
    }

    private static Option<string> DocsOption(bool required = false) =>
        new("--docs") { Description = "The knowledge folder (Markdown, MDX, text, HTML, PDF and JSONL FAQ files).", Required = required };

    private static Option<string> IndexOption(bool required = false) =>
        new("--index") { Description = "The on-disk index folder written by 'parley kb index'.", Required = required };

    private static Command Index(CliContext context)
    {
        var docs = DocsOption(required: true);
        var index = IndexOption(required: true).RefusingFiles(context);
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("index", "Index a knowledge folder on disk; only new and changed files are chunked and embedded again.");
        foreach (var option in new Option[] { docs, index, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var docsFolder = Path.GetFullPath(result.GetValue(docs)!, context.CurrentDirectory);
            var indexFolder = Path.GetFullPath(result.GetValue(index)!, context.CurrentDirectory);
            if (!Directory.Exists(docsFolder))
            {
                throw new CliException($"{docsFolder}: the knowledge folder does not exist.");
            }

            KnowledgeIndexReport report;
            try
            {
                report = await KnowledgeIndexStore.BuildAsync(docsFolder, indexFolder, LocalEmbeddings.Create(context), new ProgressLines(context.Status), WordPieceChunking.Create(), cancellationToken).ConfigureAwait(false);
                context.Status.End();
            }
            catch (KnowledgeException e)
            {
                throw new CliException(e.Message, e, ExitCodes.Failure);
            }

            if (result.GetValue(json))
            {
                var skipped = new JsonArray();
                foreach (var file in report.Skipped)
                {
                    skipped.Add(new JsonObject { ["source"] = file.Source, ["reason"] = file.Reason });
                }

                await context.Out.WriteLineAsync(new JsonObject
                {
                    ["index"] = indexFolder,
                    ["files"] = report.Files,
                    ["added"] = report.AddedFiles,
                    ["changed"] = report.ChangedFiles,
                    ["removed"] = report.RemovedFiles,
                    ["unchanged"] = report.UnchangedFiles,
                    ["chunks"] = report.Chunks,
                    ["embedded"] = report.EmbeddedChunks,
                    ["skipped"] = skipped,
                    ["up_to_date"] = report.UpToDate,
                    ["rebuilt_because"] = report.RebuildReason,
                }.ToJsonString(Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Out.WriteLineAsync(report.UpToDate
                ? string.Create(CultureInfo.InvariantCulture, $"Up to date: {report.Files} files, {report.Chunks} chunks, {report.Skipped.Count} skipped -> {indexFolder}")
                : string.Create(CultureInfo.InvariantCulture, $"Indexed {report.Files} files ({report.AddedFiles} added, {report.ChangedFiles} changed, {report.RemovedFiles} removed, {report.UnchangedFiles} unchanged), {report.Chunks} chunks ({report.EmbeddedChunks} embedded), {report.Skipped.Count} skipped -> {indexFolder}")).ConfigureAwait(false);
            foreach (var file in report.Skipped)
            {
                await context.Out.WriteLineAsync($"  skipped {file.Source}: {file.Reason}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Search(CliContext context)
    {
        var docs = DocsOption();
        var index = IndexOption();
        var top = new Option<int>("-k", "--top") { Description = "The number of passages.", DefaultValueFactory = _ => 5 };
        var mode = new Option<string>("--mode") { Description = "hybrid (BM25 and vectors fused), bm25 or vector.", DefaultValueFactory = _ => Hybrid };
        mode.AcceptOnlyFromAmong(Hybrid, Bm25, Vector);
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var query = new Argument<string[]>("query") { Description = "The question.", Arity = ArgumentArity.OneOrMore };

        var command = new Command("search", "Find the passages that best answer a question, ranked. Hybrid hits are ordered by their fused rank score and also show their cosine similarity (what a bot's threshold applies to); vector scores are cosines; BM25 scores are unbounded.");
        var lexicalWeight = LexicalWeightOption();
        foreach (var option in new Option[] { docs, index, top, mode, lexicalWeight, json })
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
            using var knowledge = await OpenAsync(context, result.GetValue(docs), result.GetValue(index), fusion, cancellationToken).ConfigureAwait(false);
            var search = Select(knowledge, result.GetValue(mode)!);
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
                        ["rank"] = results.Count + 1,
                        ["score"] = hit.Score,
                        ["fused"] = hit.Fused,
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
                var scores = hit.Fused is { } fused
                    ? string.Create(CultureInfo.InvariantCulture, $"fused {fused:0.0000}, cosine {hit.Score:0.0000}")
                    : string.Create(CultureInfo.InvariantCulture, $"{(search is Bm25KnowledgeIndex ? "bm25" : "cosine")} {hit.Score:0.0000}");
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{i + 1}. {hit.Passage.Source} — {hit.Passage.Label} ({scores})")).ConfigureAwait(false);
                await context.Out.WriteLineAsync("   " + Snippet(hit.Passage.Text)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Evaluate(CliContext context)
    {
        var docs = DocsOption();
        var indexFolder = IndexOption();
        var queries = new Option<string>("--queries") { Description = "A JSONL file of {\"query\": str, \"relevant\": [paths relative to the knowledge folder]}.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var threshold = new Option<double?>("--threshold") { Description = "Also report precision and recall of answering at this knowledge threshold (e.g. one calibrated on another set)." };
        var command = new Command("eval", "Measure recall@1, recall@5, MRR, nDCG@10 and latency for bm25, vector and hybrid search; with out-of-scope questions (\"relevant\": []) in the set, calibrate the knowledge threshold and report its precision and recall.");
        var lexicalWeight = LexicalWeightOption();
        foreach (var option in new Option[] { docs, indexFolder, queries, lexicalWeight, threshold, json })
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
                throw new CliException(e.Message, e);
            }

            var fusion = new HybridSearchOptions { LexicalWeight = result.GetValue(lexicalWeight) };
            using var index = await OpenAsync(context, result.GetValue(docs), result.GetValue(indexFolder), fusion, cancellationToken).ConfigureAwait(false);

            // Queries are encoded without the embedding cache, so vector and hybrid latencies include encoding.
            // Not disposed: it shares the BM25 index that "index" disposes.
            var uncached = new HybridKnowledgeSearch(index.Lexical, index.Dense.WithQueryEmbeddings(LocalEmbeddings.Uncached(context)), fusion);
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

            // Thresholds apply to cosines, so only the vector and hybrid modes are calibrated.
            var outOfScope = set.Count(q => q.Relevant.Count == 0);
            var given = result.GetValue(threshold);
            var thresholdLines = new List<string>();
            if (outOfScope > 0 || given is not null)
            {
                foreach (var (name, search) in modes.Where(m => m.Name != Bm25))
                {
                    var best = await KnowledgeThreshold.BestHitsAsync(search, set, cancellationToken).ConfigureAwait(false);
                    var entry = (JsonObject)report[name]!;
                    if (outOfScope > 0)
                    {
                        var calibrated = KnowledgeThreshold.Calibrate(best);
                        entry["calibrated_threshold"] = ThresholdJson(calibrated);
                        thresholdLines.Add(ThresholdLine(name, "calibrated", calibrated));
                    }

                    if (given is { } t)
                    {
                        var at = KnowledgeThreshold.Measure(best, t);
                        entry["at_threshold"] = ThresholdJson(at);
                        thresholdLines.Add(ThresholdLine(name, "given", at));
                    }
                }
            }

            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(new JsonObject { ["queries"] = set.Count, ["out_of_scope"] = outOfScope, ["passages"] = index.Count, ["modes"] = report }.ToJsonString(Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{set.Count - outOfScope} queries ({outOfScope} out of scope besides) over {index.Count} passages")).ConfigureAwait(false);
            await context.Out.WriteLineAsync("mode     recall@1   recall@5     MRR  nDCG@10  p50 ms   p95 ms").ConfigureAwait(false);
            foreach (var line in lines)
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            if (thresholdLines.Count > 0)
            {
                await context.Out.WriteLineAsync("knowledge threshold (answer when the best passage's cosine is at least it; right = from a relevant document):").ConfigureAwait(false);
                foreach (var line in thresholdLines)
                {
                    await context.Out.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonObject ThresholdJson(KnowledgeThresholdResult r) => new()
    {
        ["threshold"] = r.Threshold,
        ["precision"] = Math.Round(r.Precision, 4),
        ["recall"] = Math.Round(r.Recall, 4),
        ["out_of_scope_answered"] = r.OutOfScopeAnswered,
    };

    private static string ThresholdLine(string mode, string kind, KnowledgeThresholdResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{mode,-7} {kind,-10} {r.Threshold,6:0.000}  precision {r.Precision:0.000}  recall {r.Recall:0.000}  out of scope answered {r.OutOfScopeAnswered}/{r.OutOfScope}");

    private static Option<double> LexicalWeightOption() =>
        new("--lexical-weight") { Description = "The weight of the BM25 ranking in hybrid fusion (the vector ranking weighs 1).", DefaultValueFactory = _ => new HybridSearchOptions().LexicalWeight };

    private static async Task<HybridKnowledgeSearch> OpenAsync(CliContext context, string? docs, string? index, HybridSearchOptions options, CancellationToken cancellationToken)
    {
        if ((docs is null) == (index is null))
        {
            throw new CliException("Give either --index DIR (an index built by 'parley kb index') or --docs DIR (indexed in memory).", exitCode: ExitCodes.Usage);
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e, ExitCodes.Usage);
        }

        if (index is not null)
        {
            try
            {
                return await KnowledgeIndexStore.LoadAsync(Path.GetFullPath(index, context.CurrentDirectory), LocalEmbeddings.Create(context), options, cancellationToken).ConfigureAwait(false);
            }
            catch (KnowledgeException e)
            {
                throw new CliException(e.Message, e, ExitCodes.Failure);
            }
        }

        var folder = Path.GetFullPath(docs!, context.CurrentDirectory);
        if (!Directory.Exists(folder))
        {
            throw new CliException($"{folder}: the knowledge folder does not exist.");
        }

        return await HybridKnowledgeSearch.BuildAsync(LocalEmbeddings.Create(context), folder, options, WordPieceChunking.Create(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Shows indexing progress on stderr: each stage every tenth of the way (redrawn in place on a terminal), its end, and
    /// every skipped file.
    /// </summary>
    private sealed class ProgressLines(StatusLine status) : IProgress<KnowledgeIndexProgress>
    {
        private string? _stage;
        private int _tenth = -1;

        public void Report(KnowledgeIndexProgress value)
        {
            if (value.Warning is not null)
            {
                status.Line($"warning: {value.Warning}");
            }

            if (value.Stage != _stage)
            {
                (_stage, _tenth) = (value.Stage, -1);
            }

            var tenth = value.Total == 0 ? 10 : value.Done * 10 / value.Total;
            if (tenth != _tenth)
            {
                _tenth = tenth;
                var text = string.Create(CultureInfo.InvariantCulture, $"{value.Stage} {value.Done}/{value.Total}");
                if (tenth == 10)
                {
                    status.Line(text);
                }
                else
                {
                    status.Step(text);
                }
            }
        }
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
