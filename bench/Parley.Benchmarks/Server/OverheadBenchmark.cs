using System.Diagnostics;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks.Server;

/// <summary>
/// Gateway overhead: the same chat request sent to <see cref="FakeUpstream"/> directly and through <c>parley serve</c>
/// (the upstream as its upstream model), in interleaved rounds: latency at one connection, requests/s at many.
/// </summary>
internal static class OverheadBenchmark
{
    public static async Task<int> RunAsync(ServerBenchmarkArguments arguments)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var parley = await ParleyProcess.StartAsync(arguments.ParleyDll, upstream.BaseUrl, arguments.LogRequests);
        Target[] targets =
        [
            new("direct", new Uri(upstream.BaseUrl + "/"), "chat/completions", null),
            new("parley", new Uri(parley.BaseUrl, "/v1/"), "chat/completions", ParleyProcess.ApiKey),
        ];
        Console.WriteLine($"gateway overhead: {arguments.Rounds} interleaved rounds; {arguments.Requests} sequential requests per round and target at 1 connection; " +
            $"{arguments.Seconds} s per round and target at {arguments.Connections} connections; request log {(arguments.LogRequests ? "on" : "off")}; " +
            $"{Environment.ProcessorCount} logical CPUs; load average {LoadAverage()}");

        Console.WriteLine($"parley serve is process {parley.Id}");
        // Warm-up, long enough for tiered compilation to reach its optimised code on a busy machine.
        foreach (var target in targets)
        {
            await LatencyAsync(target, 1000);
            await ThroughputAsync(target, arguments.Connections, 3);
        }

        var latencies = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var roundP50 = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var rps = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var errors = targets.ToDictionary(t => t.Name, _ => 0);
        var cpuPerRequest = new List<double>();
        for (var round = 0; round < arguments.Rounds; round++)
        {
            foreach (var target in round % 2 == 0 ? targets : targets.Reverse())
            {
                var (samples, failed) = await LatencyAsync(target, arguments.Requests);
                latencies[target.Name].AddRange(samples);
                roundP50[target.Name].Add(Percentile(samples, 50));
                errors[target.Name] += failed;
            }

            foreach (var target in round % 2 == 0 ? targets.Reverse() : targets)
            {
                var cpu = parley.CpuTime();
                var (perSecond, failed) = await ThroughputAsync(target, arguments.Connections, arguments.Seconds);
                rps[target.Name].Add(perSecond);
                if (target.Name == "parley")
                {
                    cpuPerRequest.Add((parley.CpuTime() - cpu).TotalMicroseconds / (perSecond * arguments.Seconds));
                }

                errors[target.Name] += failed;
            }

            Console.WriteLine($"  round {round + 1}: p50 direct {roundP50["direct"][^1]:0.000} ms, parley {roundP50["parley"][^1]:0.000} ms; " +
                $"rps direct {rps["direct"][^1]:0}, parley {rps["parley"][^1]:0}; parley CPU {cpuPerRequest[^1]:0} µs/request");
        }

        double P(string name, double p) => Percentile([.. latencies[name]], p);
        Console.WriteLine($"| target | p50 ms | p99 ms | median of round p50s ms | requests/s at {arguments.Connections} connections (median of rounds) | errors |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var target in targets)
        {
            Console.WriteLine($"| {target.Name} | {P(target.Name, 50):0.000} | {P(target.Name, 99):0.000} | {Median(roundP50[target.Name]):0.000} | {Median(rps[target.Name]):0} | {errors[target.Name]} |");
        }

        var added50 = P("parley", 50) - P("direct", 50);
        var added99 = P("parley", 99) - P("direct", 99);
        var ratio = Median(rps["parley"]) / Median(rps["direct"]);
        // Round 1 still runs code the JIT has not optimised yet (it measures 2–3× the others), so the steady state is the
        // median of the rounds after it; both are printed.
        var steady = cpuPerRequest.Count > 1 ? Median([.. cpuPerRequest.Skip(1)]) : cpuPerRequest[0];
        Console.WriteLine($"parley's own CPU time per request at {arguments.Connections} connections: {Median(cpuPerRequest):0} µs (median of all rounds), " +
            $"{steady:0} µs (median of rounds 2+, the steady state); from /proc, 10 ms ticks");
        Console.WriteLine($"added by parley: p50 {added50:0.000} ms (target <= 1), p99 {added99:0.000} ms (target <= 5); throughput {ratio:P0} of direct (target >= 80%); load average {LoadAverage()}");
        return 0;
    }

    private static async Task<(double[] Samples, int Failed)> LatencyAsync(Target target, int count)
    {
        using var client = BenchHttp.Create(target.BaseUrl, target.ApiKey);
        var samples = new double[count];
        var failed = 0;
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            if (!await BenchHttp.SendAsync(client, BenchHttp.Post(target.Path, BenchHttp.ChatPayload)))
            {
                failed++;
            }

            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return (samples, failed);
    }

    private static async Task<(double PerSecond, int Failed)> ThroughputAsync(Target target, int connections, double seconds)
    {
        using var client = BenchHttp.Create(target.BaseUrl, target.ApiKey);
        var completed = 0;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (clock.Elapsed < end)
            {
                if (await BenchHttp.SendAsync(client, BenchHttp.Post(target.Path, BenchHttp.ChatPayload)))
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        return (completed / clock.Elapsed.TotalSeconds, failed);
    }

    private sealed record Target(string Name, Uri BaseUrl, string Path, string? ApiKey);
}
