using System.Diagnostics;
using System.Globalization;
using Parley.Nlu.Tokenization;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Ingestion;

namespace Parley.Benchmarks;

/// <summary>
/// Robustness of ingestion over documentation written by others: every Markdown, MDX, HTML and text file under the
/// machine's documentation folders (<c>/usr/share/doc</c>, <c>/usr/lib/node_modules</c>, the NuGet package folder, or
/// the folders given) is read, converted and chunked as <c>parley kb index</c> does (200 MiniLM word pieces, 30 of
/// overlap), and every passage's offsets are checked to slice back to its text. Crashes and bad offsets are bugs and
/// fail the run; refused files (not UTF-8, binary) are counted by reason.
/// </summary>
internal static class IngestBenchmark
{
    public const string Usage = "Parley.Benchmarks ingest [FOLDER...]   (default: /usr/share/doc /usr/lib/node_modules ~/.nuget/packages)";

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".md", ".markdown", ".mdx", ".html", ".htm", ".txt" };

    public static int Run(string[] args)
    {
        var roots = args.Length > 0
            ? args
            : ["/usr/share/doc", "/usr/lib/node_modules", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")];
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical processors, load {BenchmarkEnvironment.LoadAverage()}");
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var files = roots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*", options))
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var tokenizer = BertWordPieceTokenizer.CreateMiniLm();
        var chunking = new ChunkingOptions { CountTokens = text => tokenizer.Tokenize(text).Count, CounterName = "minilm-wordpiece" };
        var counts = new Dictionary<DocumentCheckOutcome, int>();
        var refusals = new Dictionary<string, int>(StringComparer.Ordinal);
        var bugs = new List<string>();
        long bytes = 0, passages = 0;
        var byExtension = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            byte[] content;
            try
            {
                content = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                refusals[$"unreadable: {e.GetType().Name}"] = refusals.GetValueOrDefault($"unreadable: {e.GetType().Name}") + 1;
                continue;
            }

            bytes += content.Length;
            var extension = Path.GetExtension(file).ToLowerInvariant();
            byExtension[extension] = byExtension.GetValueOrDefault(extension) + 1;
            var result = DocumentCheck.Run(file, content, chunking);
            counts[result.Outcome] = counts.GetValueOrDefault(result.Outcome) + 1;
            passages += result.Passages;
            switch (result.Outcome)
            {
                case DocumentCheckOutcome.Refused:
                    var reason = result.Detail!.Split(" (")[0];
                    refusals[reason] = refusals.GetValueOrDefault(reason) + 1;
                    break;
                case DocumentCheckOutcome.Crashed or DocumentCheckOutcome.BadOffsets:
                    bugs.Add($"{file}: {result.Outcome}: {result.Detail}");
                    break;
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.Length} files ({string.Join(", ", byExtension.Select(p => $"{p.Key} {p.Value}"))}), {bytes / 1e6:0.0} MB, in {seconds:0.0} s ({files.Length / seconds:0} files/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"indexed {counts.GetValueOrDefault(DocumentCheckOutcome.Indexed)} files into {passages} passages; refused {counts.GetValueOrDefault(DocumentCheckOutcome.Refused)}; crashed {counts.GetValueOrDefault(DocumentCheckOutcome.Crashed)}; bad offsets {counts.GetValueOrDefault(DocumentCheckOutcome.BadOffsets)}"));
        foreach (var (reason, count) in refusals.OrderByDescending(p => p.Value))
        {
            Console.WriteLine($"  refused {count}: {reason}");
        }

        foreach (var bug in bugs)
        {
            Console.WriteLine("BUG " + bug);
        }

        return bugs.Count == 0 ? 0 : 1;
    }
}
