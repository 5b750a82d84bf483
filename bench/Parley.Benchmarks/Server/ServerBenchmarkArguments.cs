using System.Globalization;

namespace Parley.Benchmarks.Server;

/// <summary>Options of the <c>server</c> benchmarks.</summary>
/// <param name="Scenario">overhead, streams, soak, idle, shared or crash.</param>
/// <param name="ParleyDll">The built <c>parley.dll</c> run as the server under test.</param>
/// <param name="Rounds">Interleaved rounds of direct and gateway measurements (<c>overhead</c>), or kills (<c>crash</c>).</param>
/// <param name="Requests">Sequential requests per round and target at one connection (<c>overhead</c>).</param>
/// <param name="Seconds">Seconds per round and target at <see cref="Connections"/> connections (<c>overhead</c>).</param>
/// <param name="Connections">Concurrent connections for the throughput rounds (<c>overhead</c>) or the soak's workers.</param>
/// <param name="Streams">Concurrent SSE streams (<c>streams</c>).</param>
/// <param name="Duration">How long the soak runs (<c>soak</c>).</param>
/// <param name="LogRequests">Whether the server logs its per-request line (its default); off to measure logging's cost.</param>
/// <param name="Postgres">A connection string of a PostgreSQL server where the user may create databases (<c>shared</c>).</param>
internal sealed record ServerBenchmarkArguments(
    string Scenario, string ParleyDll, int Rounds, int Requests, double Seconds, int Connections, int Streams, TimeSpan Duration, bool LogRequests, string? Postgres = null)
{
    public static ServerBenchmarkArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("overhead" or "streams" or "soak" or "idle" or "shared" or "crash"))
        {
            throw new ArgumentException("server needs a scenario: overhead, streams, soak, idle, shared or crash");
        }

        string? dll = null;
        string? postgres = Environment.GetEnvironmentVariable("PARLEY_TEST_POSTGRES");
        int rounds = 5, requests = 1000, connections = 0, streams = 1000;
        double seconds = 5;
        var duration = TimeSpan.FromMinutes(10);
        var logRequests = true;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--no-request-log")
            {
                logRequests = false;
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--parley": dll = value; break;
                case "--postgres": postgres = value; break;
                case "--rounds": rounds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--requests": requests = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--streams": streams = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--duration": duration = ParseDuration(value); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        dll ??= FindParley();
        if (!File.Exists(dll))
        {
            throw new ArgumentException($"--parley: '{dll}' does not exist; build src/Parley.Cli (Release) and pass its parley.dll");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1, "--rounds");
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, 1, "--requests");
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1, "--streams");
        ArgumentOutOfRangeException.ThrowIfNegative(connections, "--connections");
        return new ServerBenchmarkArguments(
            args[0], Path.GetFullPath(dll), rounds, requests, seconds, connections == 0 ? args[0] switch { "soak" or "crash" => 8, "shared" => 32, _ => 64 } : connections, streams, duration, logRequests, postgres);
    }

    /// <summary>A duration such as <c>600</c> (seconds), <c>90s</c>, <c>10m</c>.</summary>
    private static TimeSpan ParseDuration(string value) => value[^1] switch
    {
        's' => TimeSpan.FromSeconds(double.Parse(value[..^1], CultureInfo.InvariantCulture)),
        'm' => TimeSpan.FromMinutes(double.Parse(value[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)),
    };

    private static string FindParley()
    {
        var root = ParleyProcess.RepositoryRoot();
        string[] candidates =
        [
            Path.Combine(root, "artifacts", "bin", "Parley.Cli", "release", "parley.dll"),
            Path.Combine(root, "src", "Parley.Cli", "bin", "Release", "net10.0", "parley.dll"),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new ArgumentException("parley.dll not found: build src/Parley.Cli with -c Release, or pass --parley PATH");
    }
}
