using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Parley.Benchmarks.Server;

/// <summary>
/// <c>parley serve</c> as a child process (the built <c>parley.dll</c>) on a free loopback port, so its memory is its
/// own; stopped with SIGINT like Ctrl+C.
/// </summary>
internal sealed class ParleyProcess : IAsyncDisposable
{
    public const string ApiKey = "sk-bench";

    private readonly Process _process;
    private readonly string _folder;
    private readonly bool _ownsFolder;

    private ParleyProcess(Process process, Uri baseUrl, string folder, bool ownsFolder)
    {
        _process = process;
        BaseUrl = baseUrl;
        _folder = folder;
        _ownsFolder = ownsFolder;
    }

    /// <summary>How long the server took from its process start to the first successful <c>/readyz</c>.</summary>
    public TimeSpan ReadyAfter { get; private set; }

    /// <summary>The data folder the benchmarks share, so the shop bot's embeddings and index stay cached between runs.</summary>
    public static string SharedDataFolder { get; } = Path.Combine(Path.GetTempPath(), "parley-bench-data");

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseUrl { get; }

    public int Id => _process.Id;

    /// <summary>The CPU time the server process has used so far, user and system (Linux <c>/proc/PID/stat</c>).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 (utime, stime) in clock ticks of 1/100 s; fields[0] here is field 3.
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>Resident memory of the server process, in MiB (Linux <c>VmRSS</c>).</summary>
    public double RssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>
    /// Starts <paramref name="parleyDll"/> <c>serve</c> in the repository root with a fresh database, the shared
    /// benchmark data folder (warm embedding cache) and <paramref name="upstream"/> as its upstream model, and waits for
    /// <c>/readyz</c>.
    /// </summary>
    /// <param name="parleyDll">The built <c>parley.dll</c>.</param>
    /// <param name="upstream">The upstream model's base URL, or null for none.</param>
    /// <param name="logRequests">Whether the server logs at Information (its default).</param>
    /// <param name="ownDataFolder">Use a fresh data folder (cold caches, deleted afterwards) instead of the shared one.</param>
    /// <param name="database">The <c>--db</c> value (a PostgreSQL connection string, say), or null for a fresh SQLite file.</param>
    /// <param name="keptFolder">
    /// A folder that outlives this process (a restart after a crash finds its database and data folder there): the
    /// database is <c>parley.db</c> in it and the data folder <c>data/</c>; it is not deleted on dispose.
    /// </param>
    public static async Task<ParleyProcess> StartAsync(
        string parleyDll, Uri? upstream, bool logRequests = true, bool ownDataFolder = false, string? database = null, string? keptFolder = null)
    {
        var port = FreePort();
        var folder = keptFolder ?? Directory.CreateTempSubdirectory("parley-bench-").FullName;
        ownDataFolder |= keptFolder is not null;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { parleyDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--api-key", ApiKey, "--rate-limit", "1000000000", "--db", database ?? Path.Combine(folder, "parley.db") })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PARLEY_DATA_DIR"] = ownDataFolder ? Path.Combine(folder, "data") : SharedDataFolder;
        start.Environment.Remove("OPENAI_BASE_URL");
        start.Environment.Remove("OPENAI_API_KEY");
        start.Environment.Remove("PARLEY_MODEL");
        if (upstream is not null)
        {
            start.Environment["OPENAI_BASE_URL"] = upstream.ToString();
            start.Environment["OPENAI_API_KEY"] = "sk-upstream";
            start.Environment["PARLEY_MODEL"] = FakeUpstream.Model;
        }

        if (!logRequests)
        {
            start.Environment["Logging__LogLevel__Default"] = "Warning";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        // Drain the output so the server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Contains("error", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"  [parley] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        var server = new ParleyProcess(process, new Uri($"http://127.0.0.1:{port}"), folder, ownsFolder: keptFolder is null);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"parley serve exited with {process.ExitCode} before it was ready");
            }

            try
            {
                using var ready = await http.GetAsync("/readyz");
                if (ready.IsSuccessStatusCode)
                {
                    server.ReadyAfter = clock.Elapsed;
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await server.DisposeAsync();
        throw new TimeoutException("parley serve was not ready within 3 minutes");
    }

    /// <summary>Stops the server with SIGINT and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the server with SIGKILL (no shutdown of any kind) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        if (_ownsFolder)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The folder holding Parley.slnx, searched from the working folder up.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("run the benchmark from inside the repository (Parley.slnx not found)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
