namespace Parley.Benchmarks;

/// <summary>Command-line options shared by the benchmarks.</summary>
/// <param name="DataPath">CLINC150 <c>data_full.json</c> (or its folder); null to look next to the repository.</param>
/// <param name="Threads">ONNX Runtime intra-op threads; 0 for every logical processor (the encoder's default).</param>
/// <param name="Count">Utterances to encode (<c>encode</c>).</param>
/// <param name="Repetitions">Measured repetitions; medians are reported.</param>
/// <param name="Features">The featurizer kind of the intent model (<c>clinc</c>): embeddings, char-ngrams or combined.</param>
/// <param name="Arena">Whether the encoder keeps ONNX Runtime's memory arena (<c>encode --arena on|off</c>; default on, as the product).</param>
internal sealed record BenchmarkArguments(string? DataPath, int Threads, int Count, int Repetitions, string Features, bool Arena = true)
{
    public static BenchmarkArguments Parse(string[] args)
    {
        string? data = null;
        int threads = 0, count = 2000, repetitions = 3;
        var features = "embeddings";
        var arena = true;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = value; break;
                case "--threads": threads = int.Parse(value); break;
                case "--count": count = int.Parse(value); break;
                case "--repetitions": repetitions = int.Parse(value); break;
                case "--features": features = value; break;
                case "--arena": arena = value is "on" ? true : value is "off" ? false : throw new ArgumentException("--arena takes on or off"); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1, "--repetitions");
        return new BenchmarkArguments(data, threads, count, repetitions, features, arena);
    }
}
