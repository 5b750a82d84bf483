using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Storage.Conformance;

namespace Parley.Cli.Tests;

/// <summary>
/// Two <c>parley serve</c> processes on one PostgreSQL database and one shared fine-tuning folder, as two machines
/// behind a load balancer: the fine-tuning queue runs each job once across them, and a job whose server is killed is
/// taken over by the other once its lease runs out. Short leases and a hold before training (test-only settings)
/// keep them fast.
/// </summary>
[PostgresRequired]
public sealed class TwoServeProcessesOnPostgresTests : IAsyncLifetime
{
    private readonly string _name = PostgresTestServer.NewDatabaseName();
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-two-serve-").FullName;
    private readonly List<Server> _servers = [];
    private string? _connectionString;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is null)
        {
            _connectionString = await PostgresTestServer.CreateDatabaseAsync(_name);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        if (_connectionString is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_name);
        }

        Directory.Delete(_folder, recursive: true);
    }

    [StoreFact]
    public async Task TwoQueuedJobs_RunExactlyOnceEach_AcrossBothServers()
    {
        var a = await StartAsync("a", hold: TimeSpan.FromSeconds(2));
        var b = await StartAsync("b", hold: TimeSpan.FromSeconds(2));
        var file = await UploadAsync(a);

        var jobs = new[] { await CreateJobAsync(a, file), await CreateJobAsync(b, file) };
        var runners = new List<string>();
        foreach (var job in jobs)
        {
            var done = await WaitForJobAsync(a, job, j => j["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled", TimeSpan.FromMinutes(2));
            Assert.True((string?)done["status"] == "succeeded", done.ToJsonString());
            var messages = await EventsAsync(b, job);
            var ran = Assert.Single(messages, m => m.StartsWith("The server ", StringComparison.Ordinal) && m.EndsWith(" runs the job", StringComparison.Ordinal));
            Assert.DoesNotContain(messages, m => m.Contains("runs again", StringComparison.Ordinal));
            Assert.Single(messages, m => m.StartsWith("Fine-tuning job started", StringComparison.Ordinal));
            runners.Add(ran);
        }

        // Each server took one: A is busy with the first (one job at a time), so B's poll finds the second.
        Assert.Contains(runners, r => r.Contains($":{a.ProcessId}:", StringComparison.Ordinal));
        Assert.Contains(runners, r => r.Contains($":{b.ProcessId}:", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task ServerKilledMidJob_TheOtherTakesTheJobOverAfterItsLeaseAndTrainsItAgain()
    {
        var a = await StartAsync("a", hold: TimeSpan.FromMinutes(5));
        var file = await UploadAsync(a);
        var job = await CreateJobAsync(a, file);
        await WaitForJobAsync(a, job, j => (string?)j["status"] == "running", TimeSpan.FromMinutes(1));
        Assert.Contains(await EventsAsync(a, job), m => m.Contains($":{a.ProcessId}:", StringComparison.Ordinal) && m.EndsWith(" runs the job", StringComparison.Ordinal));
        var b = await StartAsync("b", hold: TimeSpan.Zero);

        a.Kill();
        var done = await WaitForJobAsync(b, job, j => j["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled", TimeSpan.FromMinutes(2));

        Assert.True((string?)done["status"] == "succeeded", done.ToJsonString());
        var messages = await EventsAsync(b, job);
        var takenOver = Assert.Single(messages, m => m.Contains("stopped without finishing it", StringComparison.Ordinal));
        Assert.Contains($":{a.ProcessId}:", takenOver, StringComparison.Ordinal);
        Assert.Contains($":{b.ProcessId}:", takenOver, StringComparison.Ordinal);
        Assert.EndsWith("runs again from the beginning (attempt 2 of 3).", takenOver, StringComparison.Ordinal);
        Assert.Contains(messages, m => m.Contains($":{b.ProcessId}:", StringComparison.Ordinal) && m.EndsWith(" runs the job", StringComparison.Ordinal));
    }

    private async Task<Server> StartAsync(string name, TimeSpan hold)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Parley.Testing.TestPaths.Root };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "parley.dll"), "serve", "--urls", url, "--db", _connectionString! })
        {
            start.ArgumentList.Add(arg);
        }

        // The run's shared data folder: its knowledge index and embedding cache are warm after the first start (a cold
        // start of the shop bot takes ~40 s here). Fine-tuning has a folder of its own, shared by the two servers.
        start.Environment["PARLEY_DATA_DIR"] = CliRunner.SharedDataDirectory;
        start.Environment["Parley__Server__FineTuningDirectory"] = Path.Combine(_folder, "fine-tuning");
        start.Environment["Parley__Server__FineTuningLease"] = "00:00:02";
        start.Environment["Parley__Server__FineTuningHeartbeat"] = "00:00:00.5";
        start.Environment["Parley__Server__FineTuningPollInterval"] = "00:00:00.25";
        start.Environment["Parley__Server__FineTuningTrainingDelay"] = hold.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        var server = new Server(Process.Start(start)!, new HttpClient { BaseAddress = new Uri(url) });
        _servers.Add(server);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            Assert.False(server.Process.HasExited, $"parley serve {name} exited with {(server.Process.HasExited ? server.Process.ExitCode : 0)}:\n{server.Log}");
            try
            {
                using var ready = await server.Http.GetAsync("/readyz");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"parley serve {name} was not ready within 2 minutes:\n{server.Log}");
            await Task.Delay(100);
        }
    }

    private static async Task<string> UploadAsync(Server server)
    {
        var jsonl = string.Join('\n', FineTuneServerEndToEndTests.Chat.SelectMany(c => c.Questions.Select(q => FineTuneServerEndToEndTests.Line(q, c.Reply)))) + "\n";
        using var form = new MultipartFormDataContent
        {
            { new StringContent("fine-tune"), "purpose" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl)), "file", "shop.jsonl" },
        };
        using var response = await server.Http.PostAsync("/v1/files", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (string)JsonNode.Parse(body)!["id"]!;
    }

    private static async Task<string> CreateJobAsync(Server server, string file)
    {
        using var response = await server.Http.PostAsJsonAsync("/v1/fine_tuning/jobs", new JsonObject
        {
            ["model"] = "all-MiniLM-L6-v2",
            ["training_file"] = file,
            ["seed"] = 7,
            ["hyperparameters"] = new JsonObject { ["n_epochs"] = 2 },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (string)JsonNode.Parse(body)!["id"]!;
    }

    private static async Task<JsonObject> WaitForJobAsync(Server server, string id, Func<JsonObject, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = (await server.Http.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs/{id}"))!;
            if (until(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} is still {job["status"]} after {timeout}: {job.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private static async Task<IReadOnlyList<string>> EventsAsync(Server server, string id)
    {
        var events = (await server.Http.GetFromJsonAsync<JsonObject>($"/v1/fine_tuning/jobs/{id}/events?limit=1000"))!;
        return [.. events["data"]!.AsArray().Select(e => (string)e!["message"]!)];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A <c>parley serve</c> process and a client for it; its output is collected for failure messages.</summary>
    private sealed class Server : IDisposable
    {
        private readonly StringBuilder _log = new();

        public Server(Process process, HttpClient http)
        {
            Process = process;
            Http = http;
            ProcessId = process.Id;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public HttpClient Http { get; }

        public int ProcessId { get; }

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        /// <summary>Kills the process at once (SIGKILL): no shutdown, no lease given back.</summary>
        public void Kill()
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Kill();
            }

            Process.Dispose();
            Http.Dispose();
        }

        private void Append(string? line)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
