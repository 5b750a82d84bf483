using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks.Server;

/// <summary>
/// Chat with stored sessions at many connections: one <c>parley serve</c> on a SQLite file against two on one
/// PostgreSQL database, where every client's turns alternate between the two servers. Afterwards each session is read
/// back and checked: every turn answered with 200 is stored once, user message then reply, in the order it was sent.
/// </summary>
internal static class SharedStoreBenchmark
{
    private const string Question = "how long does shipping take?";

    public static async Task<int> RunAsync(ServerBenchmarkArguments arguments)
    {
        var admin = arguments.Postgres ?? throw new ArgumentException("shared needs PostgreSQL: --postgres CONNECTION-STRING (or PARLEY_TEST_POSTGRES)");
        Console.WriteLine($"shared store: {arguments.Rounds} interleaved rounds of {arguments.Seconds} s per target at {arguments.Connections} connections, " +
            $"shop bot offline, one session per connection; {Environment.ProcessorCount} logical CPUs; load average {LoadAverage()}");
        var results = new Dictionary<string, List<double>> { ["sqlite, 1 server"] = [], ["postgres, 1 server"] = [], ["postgres, 2 servers"] = [] };
        var problems = 0;
        for (var round = 0; round < arguments.Rounds; round++)
        {
            foreach (var target in round % 2 == 0 ? results.Keys.ToArray() : results.Keys.Reverse().ToArray())
            {
                var (rps, bad) = target.StartsWith("sqlite", StringComparison.Ordinal)
                    ? await SqliteRoundAsync(arguments)
                    : await PostgresRoundAsync(arguments, admin, target.EndsWith("2 servers", StringComparison.Ordinal) ? 2 : 1);
                results[target].Add(rps);
                problems += bad;
                Console.WriteLine($"  round {round + 1} {target}: {rps:F1} requests/s, {bad} lost or out-of-order turns; load average {LoadAverage()}");
            }
        }

        var sqlite = Median(results["sqlite, 1 server"]);
        var postgres = Median(results["postgres, 2 servers"]);
        Console.WriteLine("| target | requests/s (median) | rounds |");
        Console.WriteLine("| --- | ---: | --- |");
        foreach (var (name, values) in results)
        {
            Console.WriteLine($"| {name} | {Median(values):F1} | {string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} |");
        }

        Console.WriteLine($"two servers on PostgreSQL / one on SQLite: {postgres / sqlite:P0} (target ≥ 80 %); lost or reordered turns: {problems}");
        return problems == 0 ? 0 : 1;
    }

    private static async Task<(double Rps, int Bad)> SqliteRoundAsync(ServerBenchmarkArguments arguments)
    {
        await using var server = await ParleyProcess.StartAsync(arguments.ParleyDll, upstream: null, arguments.LogRequests);
        return await LoadAsync([server.BaseUrl], arguments);
    }

    private static async Task<(double Rps, int Bad)> PostgresRoundAsync(ServerBenchmarkArguments arguments, string admin, int servers)
    {
        var name = "parley_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\";");
        try
        {
            var database = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 60 }.ConnectionString;
            var started = new List<ParleyProcess>();
            try
            {
                for (var i = 0; i < servers; i++)
                {
                    started.Add(await ParleyProcess.StartAsync(arguments.ParleyDll, upstream: null, arguments.LogRequests, database: database));
                }

                return await LoadAsync([.. started.Select(p => p.BaseUrl)], arguments);
            }
            finally
            {
                foreach (var process in started)
                {
                    await process.DisposeAsync();
                }
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE);");
        }
    }

    // Client c sends turn n of its session to server (c + n) % servers: with two servers every session moves between them.
    private static async Task<(double Rps, int Bad)> LoadAsync(Uri[] servers, ServerBenchmarkArguments arguments)
    {
        var clients = servers.Select(url => BenchHttp.Create(url, ParleyProcess.ApiKey)).ToArray();
        try
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            await RunClientsAsync(clients, arguments.Connections, TimeSpan.FromSeconds(3), run + "w"); // warm-up
            var clock = Stopwatch.StartNew();
            var sent = await RunClientsAsync(clients, arguments.Connections, TimeSpan.FromSeconds(arguments.Seconds), run);
            var elapsed = clock.Elapsed.TotalSeconds;
            var bad = 0;
            for (var c = 0; c < sent.Length; c++)
            {
                bad += await CheckAsync(clients[c % clients.Length], Session(run, c), sent[c]);
            }

            var failed = sent.Sum(s => s.Count(ok => !ok));
            if (failed > 0)
            {
                Console.WriteLine($"    {failed} requests failed (not 200)");
            }

            return (sent.Sum(s => s.Count(ok => ok)) / elapsed, bad);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<List<bool>[]> RunClientsAsync(HttpClient[] clients, int connections, TimeSpan duration, string run)
    {
        using var stop = new CancellationTokenSource(duration);
        return await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var sent = new List<bool>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
                {
                    ["model"] = "shop",
                    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"{Question} [turn {n}]" }),
                });
                sent.Add(await BenchHttp.SendAsync(clients[(c + n) % clients.Length], BenchHttp.Post("/v1/chat/completions", body, Session(run, c))));
            }

            return sent;
        })));
    }

    // Every turn answered 200 is stored once, in the order sent, as its user message followed by the reply. A turn that
    // failed may have left its user message (it is stored before the reply is made) but must not break that order.
    private static async Task<int> CheckAsync(HttpClient client, string session, List<bool> sent)
    {
        var detail = await client.GetFromJsonAsync<JsonNode>($"/api/sessions/{session}");
        var messages = detail?["messages"]?.AsArray() ?? [];
        var stored = new List<(int Turn, bool Replied)>();
        for (var i = 0; i < messages.Count; i++)
        {
            if ((string?)messages[i]!["role"] == "user" && TurnOf((string?)messages[i]!["content"]) is { } turn)
            {
                stored.Add((turn, i + 1 < messages.Count && (string?)messages[i + 1]!["role"] == "assistant"));
            }
        }

        var bad = stored.Zip(stored.Skip(1)).Count(pair => pair.Second.Turn <= pair.First.Turn); // out of order or twice
        for (var n = 0; n < sent.Count; n++)
        {
            bad += sent[n] && !stored.Contains((n, true)) ? 1 : 0; // answered but lost, or stored without its reply
        }

        return bad;
    }

    private static int? TurnOf(string? text) =>
        text is not null && text.StartsWith(Question + " [turn ", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan()[(Question.Length + 7)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var turn)
            ? turn
            : null;

    private static string Session(string run, int client) => $"bench-{run}-{client}";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
