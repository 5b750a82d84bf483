namespace Parley.Benchmarks;

/// <summary>Command-line options shared by the benchmarks.</summary>
internal sealed record BenchmarkArguments(string? DataPath, int Threads, int Count, int Repetitions)
{
    public static BenchmarkArguments Parse(string[] args)
    {
        string? data = null;
        int threads = 0, count = 2000, repetitions = 3;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = value; break;
                case "--threads": threads = int.Parse(value); break;
                case "--count": count = int.Parse(value); break;
                case "--repetitions": repetitions = int.Parse(value); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        return new BenchmarkArguments(data, threads, count, repetitions);
    }
}
