using Parley.Nlu.Data;
using Parley.Nlu.Intents;
using Parley.Nlu.Training;
using Parley.Nlu.Torch.Training;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks.FewShot;

/// <summary>
/// How fast encoder fine-tuning goes on this machine (issue 11's time target): two epochs over the same seeded sample of
/// CLINC150's train split for each setting, settings interleaved over rounds so that load changes hit them alike, and
/// the median time per training example of the second epoch — projected to a whole CLINC150 epoch (15,100 examples, no
/// augmentation). The first epoch is left out: libtorch's first batches of each shape cost more than later ones.
/// Nothing is evaluated: the settings' accuracy is the CLINC150 run's business (docs/BENCHMARKS.md).
/// </summary>
internal static class FineTuneSpeedBenchmark
{
    public const string Usage = "finetune-speed [--data data_full.json] [--examples 2560] [--rounds 3] [--method full] [--batch-sizes 32,64] [--frozen-layers 0] [--threads N]";

    private const int ClincTrainingExamples = 15_100;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        string? data = null;
        int examples = 2560, rounds = 3, threads = 0;
        var method = EncoderTrainingMethod.Full;
        int[] batchSizes = [32, 64];
        int[] frozenLayers = [0];
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = value; break;
                case "--examples": examples = int.Parse(value); break;
                case "--rounds": rounds = int.Parse(value); break;
                case "--method": method = Enum.Parse<EncoderTrainingMethod>(value, ignoreCase: true); break;
                case "--batch-sizes": batchSizes = value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray(); break;
                case "--frozen-layers": frozenLayers = value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray(); break;
                case "--threads": threads = int.Parse(value); break;
                default: throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}");
            }
        }

        var dataset = await DatasetReader.ReadAsync(FindClinc(data), new DatasetReadOptions { Format = DatasetFormat.Clinc }, cancellationToken).ConfigureAwait(false);
        var sample = dataset.Splits[DatasetSplitNames.Train].Where(i => i.Intent != OutOfScope.Label).Select(i => i.ToExample()).ToArray();
        new Random(1).Shuffle(sample);
        sample = sample[..Math.Min(examples, sample.Length)];
        Console.WriteLine($"Encoder fine-tuning speed: method {method.ToString().ToLowerInvariant()}, {sample.Length} CLINC150 train examples, second of two epochs timed, " +
            $"{rounds} rounds; {Environment.ProcessorCount} logical CPUs; load average {LoadAverage()}");

        var settings = batchSizes.SelectMany(b => frozenLayers.Select(f => (BatchSize: b, FrozenLayers: f))).ToArray();
        var perExample = settings.ToDictionary(s => s, _ => new List<double>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var setting in settings)
            {
                var options = new EncoderTrainerOptions
                {
                    Method = method,
                    Epochs = 2,
                    MinEpochs = 2,
                    BatchSize = setting.BatchSize,
                    FrozenLayers = setting.FrozenLayers,
                    ValidationFraction = 0,
                    Threads = threads,
                };
                var clock = new EpochEnds();
                using var result = EncoderTrainer.Train(sample, [], options, clock, cancellationToken);
                var milliseconds = (clock.Ends[1] - clock.Ends[0]).TotalMilliseconds / sample.Length;
                perExample[setting].Add(milliseconds);
                Console.Error.WriteLine($"  round {round}, batch {setting.BatchSize}, frozen layers {setting.FrozenLayers}: {milliseconds:F2} ms per example ({result.Steps / 2} steps per epoch), load average {LoadAverage()}");
            }
        }

        // Ratios are paired by round (each setting against the first one in the same round), then the median taken.
        var first = perExample[settings[0]];
        Console.WriteLine();
        Console.WriteLine($"| batch size | frozen layers | ms per example (median of {rounds}) | ratio to the first row (median of rounds) | projected CLINC150 epoch (15,100 examples), min |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var setting in settings)
        {
            var median = Median(perExample[setting]);
            var ratio = Median(perExample[setting].Select((m, r) => m / first[r]));
            Console.WriteLine($"| {setting.BatchSize} | {setting.FrozenLayers} | {median:F2} | {ratio:F2} | {median * ClincTrainingExamples / 60_000:F1} |");
        }

        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    /// <summary>The training clock at each epoch's end (reports come synchronously, on the training thread).</summary>
    private sealed class EpochEnds : IProgress<EncoderTrainingProgress>
    {
        public List<TimeSpan> Ends { get; } = [];

        public void Report(EncoderTrainingProgress value)
        {
            if (value.IsEpochEnd)
            {
                Ends.Add(value.Elapsed);
            }
        }
    }
}
