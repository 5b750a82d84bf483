namespace Parley.Benchmarks.Server;

/// <summary>The <c>server</c> benchmarks of <c>parley serve</c>, each against the server as a separate process.</summary>
internal static class ServerBenchmark
{
    public const string Usage =
        "Parley.Benchmarks server overhead|streams|soak|idle|shared|crash [--parley path/to/parley.dll] [--rounds 5] [--requests 1000] [--seconds 5] " +
        "[--connections 64] [--streams 1000] [--duration 10m] [--no-request-log] [--postgres CONNECTION-STRING]";

    public static Task<int> RunAsync(string[] args)
    {
        var arguments = ServerBenchmarkArguments.Parse(args);
        return arguments.Scenario switch
        {
            "overhead" => OverheadBenchmark.RunAsync(arguments),
            "streams" => StreamsBenchmark.RunAsync(arguments),
            "soak" => SoakBenchmark.RunAsync(arguments),
            "shared" => SharedStoreBenchmark.RunAsync(arguments),
            "crash" => CrashBenchmark.RunAsync(arguments),
            _ => IdleBenchmark.RunAsync(arguments),
        };
    }
}
