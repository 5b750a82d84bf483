using System.Diagnostics;
using System.Text;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks.Server;

/// <summary>
/// Many concurrent open SSE streams through <c>parley serve</c>, each relaying a slow upstream stream (20 chunks
/// 250 ms apart): all must complete, none be refused; the server's RSS is sampled throughout.
/// </summary>
internal static class StreamsBenchmark
{
    public static async Task<int> RunAsync(ServerBenchmarkArguments arguments)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.StreamChunks = 20;
        upstream.ChunkDelay = TimeSpan.FromMilliseconds(250);
        await using var parley = await ParleyProcess.StartAsync(arguments.ParleyDll, upstream.BaseUrl, arguments.LogRequests);
        using var client = BenchHttp.Create(new Uri(parley.BaseUrl, "/v1/"), ParleyProcess.ApiKey);
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{FakeUpstream.Model}}","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell me a story."}]}""");
        Console.WriteLine($"{arguments.Streams} concurrent SSE streams through parley (upstream: 20 chunks, 250 ms apart); {Environment.ProcessorCount} logical CPUs; load average {LoadAverage()}");

        // Warm-up: JIT and connection set-up paths.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => OneAsync(client, body, null)));
        var idleRss = parley.RssMiB();
        int open = 0, peakOpen = 0;
        var rss = new List<double>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                rss.Add(parley.RssMiB());
                await Task.Delay(250, CancellationToken.None);
            }
        });
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, arguments.Streams).Select(_ => OneAsync(client, body, () =>
        {
            var now = Interlocked.Increment(ref open);
            int seen;
            while (now > (seen = Volatile.Read(ref peakOpen)) && Interlocked.CompareExchange(ref peakOpen, now, seen) != seen)
            {
            }
        }, () => Interlocked.Decrement(ref open))));
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        await Task.Delay(2000);
        var afterRss = parley.RssMiB();

        var completed = results.Count(r => r == Outcome.Completed);
        var refused = results.Count(r => r == Outcome.Refused);
        var broken = results.Count(r => r == Outcome.Broken);
        Console.WriteLine($"| streams | completed | refused (non-200) | broken | peak open at once | wall time s | RSS idle MiB | RSS median during MiB | RSS peak MiB | RSS 2 s after MiB |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| {arguments.Streams} | {completed} | {refused} | {broken} | {peakOpen} | {elapsed.TotalSeconds:0.0} | {idleRss:0} | {Median(rss):0} | {rss.Max():0} | {afterRss:0} |");
        Console.WriteLine($"load average {LoadAverage()}");
        return completed == arguments.Streams ? 0 : 1;
    }

    private static async Task<Outcome> OneAsync(HttpClient client, byte[] body, Action? opened, Action? closed = null)
    {
        try
        {
            using var request = BenchHttp.Post("chat/completions", body);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                return Outcome.Refused;
            }

            var wasOpened = false;
            try
            {
                return await BenchHttp.ReadStreamAsync(response, () =>
                {
                    wasOpened = true;
                    opened?.Invoke();
                }) ? Outcome.Completed : Outcome.Broken;
            }
            finally
            {
                if (wasOpened)
                {
                    closed?.Invoke();
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return Outcome.Broken;
        }
    }

    private enum Outcome
    {
        Completed,
        Refused,
        Broken,
    }
}
