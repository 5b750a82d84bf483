using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks.Server;

/// <summary>
/// kill -9 at random moments under mixed traffic: chat turns in stored sessions (streamed and not), file uploads and
/// fine-tuning jobs, against one <c>parley serve</c> whose database and data folder outlive it. After every kill the
/// SQLite file passes <c>PRAGMA integrity_check</c>; after every restart the server must be ready (within 3 s is the
/// target), every turn, upload and job the server acknowledged must be there, sessions must hold each turn once and in
/// order, and every list must still answer. At the end every job must reach an end state (succeeded, or failed with a
/// reason) — none may stay stuck.
/// </summary>
internal static class CrashBenchmark
{
    private const string Question = "how long does shipping take?";
    private static readonly TimeSpan ReadyTarget = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(ServerBenchmarkArguments arguments)
    {
        var folder = Directory.CreateTempSubdirectory("parley-crash-").FullName;
        var random = new Random(2026);
        var state = new Acknowledged(arguments.Connections);
        Console.WriteLine($"crash: {arguments.Rounds} rounds of kill -9 at a random moment (0.3–3 s after the round's first answer, under mixed traffic: {arguments.Connections} chat " +
            $"clients, half streaming; uploads; a fine-tuning job every third upload); shop bot offline, SQLite; {Environment.ProcessorCount} logical CPUs; load average {LoadAverage()}");
        var server = await ParleyProcess.StartAsync(arguments.ParleyDll, upstream: null, logRequests: false, keptFolder: folder);
        Console.WriteLine($"  first start (cold: trains the shop bot, builds its index): ready after {server.ReadyAfter.TotalSeconds:F2} s");
        var ready = new List<double>();
        var problems = 0;
        try
        {
            for (var round = 1; round <= arguments.Rounds; round++)
            {
                using var stop = new CancellationTokenSource();
                var turnsBefore = state.TurnCount;
                var traffic = TrafficAsync(server.BaseUrl, state, stop.Token);
                // The moment is random once traffic flows (a server that has not answered anything yet proves little).
                var flowing = Stopwatch.StartNew();
                while (state.TurnCount == turnsBefore && flowing.Elapsed < TimeSpan.FromMinutes(1))
                {
                    await Task.Delay(20);
                }

                var killAfter = flowing.Elapsed + TimeSpan.FromMilliseconds(random.Next(300, 3000));
                await Task.Delay(killAfter - flowing.Elapsed);
                await server.KillAsync();
                await stop.CancelAsync();
                await traffic;
                await server.DisposeAsync();

                var integrity = IntegrityCheck(Path.Combine(folder, "parley.db"));
                server = await ParleyProcess.StartAsync(arguments.ParleyDll, upstream: null, logRequests: false, keptFolder: folder);
                ready.Add(server.ReadyAfter.TotalSeconds);
                var check = await VerifyAsync(server.BaseUrl, state);
                if (integrity is not ("ok" or "no database yet"))
                {
                    state.IntegrityFailures++;
                }

                var bad = check.Count + (integrity is "ok" or "no database yet" ? 0 : 1);
                problems += bad;
                Console.WriteLine($"  round {round}: killed after {killAfter.TotalSeconds:F1} s; integrity {integrity}; ready after {server.ReadyAfter.TotalSeconds:F2} s; " +
                    $"acknowledged so far: {state.TurnCount} turns, {state.Files.Count} files, {state.Jobs.Count} jobs; {bad} problems; load average {LoadAverage()}");
                foreach (var problem in check.Take(5))
                {
                    Console.WriteLine($"    {problem}");
                }
            }

            var (ended, stuck) = await WaitForJobsAsync(server.BaseUrl, state, TimeSpan.FromMinutes(5));
            problems += stuck;
            var sorted = ready.Order().ToArray();
            Console.WriteLine();
            Console.WriteLine("| rounds | acknowledged turns | lost or reordered turns | files (lost) | jobs: succeeded / failed / stuck | integrity failures | ready after restart: median / max | restarts ready ≤ 3 s |");
            Console.WriteLine("| ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |");
            Console.WriteLine($"| {arguments.Rounds} | {state.TurnCount} | {state.LostTurns.Count} | {state.Files.Count} ({state.LostFiles.Count}) | " +
                $"{ended.GetValueOrDefault("succeeded")} / {ended.GetValueOrDefault("failed")} / {stuck} | {state.IntegrityFailures} | " +
                $"{Median(sorted):F2} s / {sorted[^1]:F2} s | {sorted.Count(s => s <= ReadyTarget.TotalSeconds)}/{sorted.Length} |");
            foreach (var (reason, count) in state.FailureReasons.OrderByDescending(r => r.Value))
            {
                Console.WriteLine($"  failed jobs: {count} × {reason}");
            }

            Console.WriteLine($"problems: {problems}");
            return problems == 0 ? 0 : 1;
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    // ---- traffic ----

    private static async Task TrafficAsync(Uri baseUrl, Acknowledged state, CancellationToken stop)
    {
        using var client = BenchHttp.Create(baseUrl, ParleyProcess.ApiKey);
        var workers = Enumerable.Range(0, state.Sessions).Select(w => ChatAsync(client, state, w, stream: w % 2 == 0, stop)).Append(UploadAsync(client, state, stop));
        await Task.WhenAll(workers);
    }

    private static async Task ChatAsync(HttpClient client, Acknowledged state, int worker, bool stream, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var turn = state.NextTurn(worker);
            var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["model"] = "shop",
                ["stream"] = stream,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"{Question} [turn {turn}]" }),
            });
            try
            {
                using var request = BenchHttp.Post("/v1/chat/completions", body, Session(worker));
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                var answered = response.StatusCode == HttpStatusCode.OK
                    && (stream ? await BenchHttp.ReadStreamAsync(response, cancellationToken: stop) : (await response.Content.ReadAsByteArrayAsync(stop)).Length > 0);
                if (answered)
                {
                    state.AckTurn(worker, turn);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                return; // the server is gone: what it did not answer was never acknowledged
            }
        }
    }

    private static async Task UploadAsync(HttpClient client, Acknowledged state, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var content = IntentJsonl(Interlocked.Increment(ref state.UploadCounter));
            try
            {
                using var form = new MultipartFormDataContent
                {
                    { new StringContent("fine-tune"), "purpose" },
                    { new ByteArrayContent(content), "file", "bank.jsonl" },
                };
                using var uploaded = await client.PostAsync("/v1/files", form, stop);
                if (uploaded.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }

                var id = (string)(await uploaded.Content.ReadFromJsonAsync<JsonObject>(stop))!["id"]!;
                state.Files[id] = content;
                if (n % 3 != 0)
                {
                    continue;
                }

                using var created = await client.PostAsJsonAsync("/v1/fine_tuning/jobs", new JsonObject
                {
                    ["model"] = "all-MiniLM-L6-v2",
                    ["training_file"] = id,
                    ["hyperparameters"] = new JsonObject { ["n_epochs"] = 3 },
                }, stop);
                if (created.StatusCode == HttpStatusCode.OK)
                {
                    state.Jobs[(string)(await created.Content.ReadFromJsonAsync<JsonObject>(stop))!["id"]!] = true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                return;
            }
        }
    }

    // Three intents, eight utterances each; the number makes every upload's bytes different.
    private static byte[] IntentJsonl(int number)
    {
        (string Intent, string[] Texts)[] intents =
        [
            ("check_balance", ["what's my balance", "how much money do I have", "show my account balance", "balance please", "how much is left in my account", "check my balance", "what is in my checking account", "tell me my current balance"]),
            ("transfer_money", ["send 50 dollars to mom", "transfer money to my savings", "move 100 to checking", "I want to transfer funds", "wire money to John", "pay my friend 20 euros", "make a transfer", "send money abroad"]),
            ("lost_card", ["I lost my card", "my credit card was stolen", "block my card", "I can't find my debit card", "someone took my card", "freeze my card please", "report a stolen card", "my card is missing"]),
        ];
        var lines = new StringBuilder();
        foreach (var (intent, texts) in intents)
        {
            foreach (var (text, i) in texts.Select((t, i) => (t, i)))
            {
                var numbered = i == 0 ? $"{text} (upload {number})" : text;
                lines.Append(new JsonObject { ["text"] = numbered, ["label"] = intent }.ToJsonString()).Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(lines.ToString());
    }

    // ---- checks ----

    private static string IntegrityCheck(string database)
    {
        if (!File.Exists(database))
        {
            return "no database yet";
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "no answer";
    }

    private static async Task<List<string>> VerifyAsync(Uri baseUrl, Acknowledged state)
    {
        using var client = BenchHttp.Create(baseUrl, ParleyProcess.ApiKey);
        var problems = new List<string>();
        for (var worker = 0; worker < state.Sessions; worker++)
        {
            var acked = state.AckedTurns(worker);
            using var response = await client.GetAsync($"/api/sessions/{Session(worker)}");
            if (response.StatusCode == HttpStatusCode.NotFound && acked.Count == 0)
            {
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"session {Session(worker)}: {(int)response.StatusCode}");
                continue;
            }

            var messages = (await response.Content.ReadFromJsonAsync<JsonObject>())!["messages"]!.AsArray();
            var stored = new List<(int Turn, bool Replied)>();
            for (var i = 0; i < messages.Count; i++)
            {
                if ((string?)messages[i]!["role"] == "user" && TurnOf((string?)messages[i]!["content"]) is { } turn)
                {
                    stored.Add((turn, i + 1 < messages.Count && (string?)messages[i + 1]!["role"] == "assistant"));
                }
            }

            foreach (var (first, second) in stored.Zip(stored.Skip(1)).Where(p => p.Second.Turn <= p.First.Turn))
            {
                problems.Add($"session {Session(worker)}: turn {second.Turn} after turn {first.Turn}");
            }

            foreach (var turn in acked.Where(t => !stored.Contains((t, true))))
            {
                problems.Add($"session {Session(worker)}: acknowledged turn {turn} lost");
                state.LostTurns.Add((worker, turn));
            }
        }

        foreach (var (id, content) in state.Files)
        {
            using var response = await client.GetAsync($"/v1/files/{id}/content");
            if (response.StatusCode != HttpStatusCode.OK || !(await response.Content.ReadAsByteArrayAsync()).AsSpan().SequenceEqual(content))
            {
                problems.Add($"file {id}: {(int)response.StatusCode}, content {(response.StatusCode == HttpStatusCode.OK ? "differs" : "missing")}");
                state.LostFiles.Add(id);
            }
        }

        foreach (var id in state.Jobs.Keys)
        {
            using var response = await client.GetAsync($"/v1/fine_tuning/jobs/{id}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"job {id}: {(int)response.StatusCode}");
            }
        }

        foreach (var list in new[] { "/api/sessions", "/v1/files", "/v1/fine_tuning/jobs?limit=100", "/v1/models" })
        {
            using var response = await client.GetAsync(list);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"GET {list}: {(int)response.StatusCode}");
            }
        }

        return problems;
    }

    private static async Task<(Dictionary<string, int> Ended, int Stuck)> WaitForJobsAsync(Uri baseUrl, Acknowledged state, TimeSpan limit)
    {
        using var client = BenchHttp.Create(baseUrl, ParleyProcess.ApiKey);
        var clock = Stopwatch.StartNew();
        var ended = new Dictionary<string, int>();
        var open = state.Jobs.Keys.ToHashSet();
        while (open.Count > 0 && clock.Elapsed < limit)
        {
            foreach (var id in open.ToArray())
            {
                var job = (await client.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs/{id}"))!;
                var status = (string)job["status"]!;
                if (status is "succeeded" or "failed" or "cancelled")
                {
                    open.Remove(id);
                    ended[status] = ended.GetValueOrDefault(status) + 1;
                    if (status == "failed")
                    {
                        var reason = (string?)job["error"]?["message"] ?? "(no reason given)";
                        state.FailureReasons[reason] = state.FailureReasons.GetValueOrDefault(reason) + 1;
                    }
                }
            }

            await Task.Delay(500);
        }

        foreach (var id in open)
        {
            Console.WriteLine($"  job {id} did not end within {limit.TotalMinutes} minutes");
        }

        return (ended, open.Count);
    }

    private static int? TurnOf(string? text) =>
        text is not null && text.StartsWith(Question + " [turn ", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan()[(Question.Length + 7)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var turn)
            ? turn
            : null;

    private static string Session(int worker) => $"crash-{worker}";

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>What the server acknowledged (a 200 with a whole answer) across all rounds.</summary>
    private sealed class Acknowledged(int sessions)
    {
        private readonly int[] _nextTurn = new int[sessions];
        private readonly List<int>[] _acked = [.. Enumerable.Range(0, sessions).Select(_ => new List<int>())];

        public int UploadCounter;

        public int Sessions { get; } = sessions;

        public ConcurrentDictionary<string, byte[]> Files { get; } = new();

        public ConcurrentDictionary<string, bool> Jobs { get; } = new();

        public Dictionary<string, int> FailureReasons { get; } = [];

        public HashSet<(int Worker, int Turn)> LostTurns { get; } = [];

        public HashSet<string> LostFiles { get; } = [];

        public int IntegrityFailures { get; set; }

        public int TurnCount => _acked.Sum(a => a.Count);

        public int NextTurn(int worker) => _nextTurn[worker]++;

        public void AckTurn(int worker, int turn) => _acked[worker].Add(turn);

        public IReadOnlyList<int> AckedTurns(int worker) => _acked[worker];
    }
}
