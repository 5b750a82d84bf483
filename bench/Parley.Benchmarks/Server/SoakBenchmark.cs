using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks.Server;

/// <summary>
/// Mixed traffic against <c>parley serve</c> for a while — upstream chat (JSON and streamed), embeddings, shop-bot
/// answers in sessions (continued, read back and deleted) — with the server's RSS sampled and errors counted.
/// </summary>
internal static class SoakBenchmark
{
    private static readonly string[] Questions =
    [
        "How long does shipping take?", "Can I return an item?", "Do you ship abroad?", "What payment methods do you accept?",
        "Where is my order?", "hello", "thanks!", "How do I reset my password?",
    ];

    private static readonly string[] Words =
    [
        "order", "parcel", "refund", "colour", "size", "jacket", "delivery", "invoice", "blue", "warranty", "store", "gift",
        "card", "late", "broken", "exchange", "coupon", "price", "weekend", "address",
    ];

    public static async Task<int> RunAsync(ServerBenchmarkArguments arguments)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.StreamChunks = 20;
        upstream.ChunkDelay = TimeSpan.FromMilliseconds(5);
        // Its own data folder: the soak's random sentences would otherwise fill the shared embedding cache.
        await using var parley = await ParleyProcess.StartAsync(arguments.ParleyDll, upstream.BaseUrl, arguments.LogRequests, ownDataFolder: true);
        using var client = BenchHttp.Create(new Uri(parley.BaseUrl, "/"), ParleyProcess.ApiKey);
        Console.WriteLine($"soak: {arguments.Duration.TotalMinutes:0.#} min of mixed traffic, {arguments.Connections} concurrent clients; " +
            $"{Environment.ProcessorCount} logical CPUs; load average {LoadAverage()}");

        var kinds = new[] { "chat", "chat-stream", "embeddings", "bot-session", "bot-session-stream", "session-read", "session-delete" };
        var counts = kinds.ToDictionary(k => k, _ => 0L);
        var errors = kinds.ToDictionary(k => k, _ => 0L);
        long total = 0;

        // Warm-up (a tenth of the run, at most a minute): loads the encoder and the tokenizer and fills the pools, so
        // the start sample is the steady state rather than the empty process.
        var warmUp = TimeSpan.FromSeconds(Math.Min(60, arguments.Duration.TotalSeconds / 10));
        using (var warming = new CancellationTokenSource(warmUp))
        {
            await TrafficAsync(client, arguments.Connections, kinds, counts, errors, () => { }, warming.Token);
        }

        Console.WriteLine($"warm-up: {warmUp.TotalSeconds:0} s, {counts.Values.Sum()} requests, {errors.Values.Sum()} errors, RSS {parley.RssMiB():0} MiB");
        foreach (var kind in kinds)
        {
            counts[kind] = 0;
            errors[kind] = 0;
        }

        var samples = new List<(TimeSpan At, double Rss, long Requests)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(arguments.Duration);
        var sampler = Task.Run(async () =>
        {
            var every = TimeSpan.FromSeconds(Math.Max(1, arguments.Duration.TotalSeconds / 20));
            while (!stop.IsCancellationRequested)
            {
                samples.Add((clock.Elapsed, parley.RssMiB(), Interlocked.Read(ref total)));
                try
                {
                    await Task.Delay(every, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        await TrafficAsync(client, arguments.Connections, kinds, counts, errors, () => Interlocked.Increment(ref total), stop.Token);
        await sampler;
        samples.Add((clock.Elapsed, parley.RssMiB(), Interlocked.Read(ref total)));

        Console.WriteLine("| minute | RSS MiB | requests so far |");
        Console.WriteLine("| ---: | ---: | ---: |");
        foreach (var (at, rss, requests) in samples)
        {
            Console.WriteLine($"| {at.TotalMinutes:0.0} | {rss:0} | {requests} |");
        }

        Console.WriteLine("| request kind | count | errors |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var kind in kinds)
        {
            Console.WriteLine($"| {kind} | {counts[kind]} | {errors[kind]} |");
        }

        var allErrors = errors.Values.Sum();
        Console.WriteLine($"{total} requests after warm-up, {allErrors} errors, {total / clock.Elapsed.TotalSeconds:0} requests/s; RSS start {samples[0].Rss:0} MiB, end {samples[^1].Rss:0} MiB, " +
            $"max {samples.Max(s => s.Rss):0} MiB; load average {LoadAverage()}");
        return allErrors == 0 ? 0 : 1;
    }

    private static Task TrafficAsync(
        HttpClient client, int workers, string[] kinds, Dictionary<string, long> counts, Dictionary<string, long> errors, Action counted, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            string? session = null;
            var turns = 0;
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var kind = kinds[i % 5];
                bool ok;
                try
                {
                    (ok, session, turns, kind) = await StepAsync(client, kind, random, session, turns);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    ok = false;
                }

                lock (counts)
                {
                    counts[kind]++;
                    if (!ok)
                    {
                        errors[kind]++;
                    }
                }

                counted();
            }
        })));

    private static async Task<(bool Ok, string? Session, int Turns, string Kind)> StepAsync(HttpClient client, string kind, Random random, string? session, int turns)
    {
        switch (kind)
        {
            case "chat":
                return (await BenchHttp.SendAsync(client, BenchHttp.Post("v1/chat/completions", BenchHttp.ChatPayload)), session, turns, kind);
            case "chat-stream":
            {
                var body = Encoding.UTF8.GetBytes($$"""{"model":"{{FakeUpstream.Model}}","stream":true,"messages":[{"role":"user","content":"stream please"}]}""");
                return (await StreamAsync(client, body, null), session, turns, kind);
            }

            case "embeddings":
            {
                // Almost every sentence is new (20^6 x 200 combinations), so the encoder runs for each, as for real clients.
                var sentence = string.Join(' ', Enumerable.Range(0, 6).Select(_ => Words[random.Next(Words.Length)])) + " " + random.Next(200);
                var body = JsonSerializer(new JsonObject { ["model"] = "all-MiniLM-L6-v2", ["input"] = new JsonArray(sentence, "where is my " + Words[random.Next(Words.Length)]) });
                return (await BenchHttp.SendAsync(client, BenchHttp.Post("v1/embeddings", body)), session, turns, kind);
            }

            case "bot-session" when turns >= 6 && session is not null:
            {
                // Rotate: read the finished session back, then delete it, so the store stays bounded.
                using var read = await client.GetAsync($"api/sessions/{session}");
                using var delete = await client.DeleteAsync($"api/sessions/{session}");
                var ok = read.IsSuccessStatusCode && delete.IsSuccessStatusCode;
                return (ok, null, 0, "session-delete");
            }

            case "bot-session":
            {
                var body = Encoding.UTF8.GetBytes($$"""{"model":"shop","messages":[{"role":"user","content":"{{Questions[random.Next(Questions.Length)]}}"}]}""");
                using var request = BenchHttp.Post("v1/chat/completions", body, session);
                using var response = await client.SendAsync(request);
                var id = response.Headers.TryGetValues("X-Parley-Session", out var values) ? values.First() : null;
                await response.Content.ReadAsByteArrayAsync();
                return (response.IsSuccessStatusCode && id is not null, id, turns + 1, kind);
            }

            case "bot-session-stream" when session is null:
            {
                using var list = await client.GetAsync("api/sessions");
                await list.Content.ReadAsByteArrayAsync();
                return (list.IsSuccessStatusCode, session, turns, "session-read");
            }

            default:
            {
                var body = Encoding.UTF8.GetBytes($$"""{"model":"shop","stream":true,"messages":[{"role":"user","content":"{{Questions[random.Next(Questions.Length)]}}"}]}""");
                return (await StreamAsync(client, body, session), session, turns + 1, "bot-session-stream");
            }
        }
    }

    private static async Task<bool> StreamAsync(HttpClient client, byte[] body, string? session)
    {
        using var request = BenchHttp.Post("v1/chat/completions", body, session);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.IsSuccessStatusCode && await BenchHttp.ReadStreamAsync(response);
    }

    private static byte[] JsonSerializer(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}
