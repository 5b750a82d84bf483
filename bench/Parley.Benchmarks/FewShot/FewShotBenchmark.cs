using System.Diagnostics;
using Parley.Nlu.Data;
using Parley.Nlu.Embeddings;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Models;
using Parley.Nlu.Torch;
using Parley.Nlu.Torch.Training;
using Parley.Nlu.Training;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks.FewShot;

/// <summary>
/// Few-shot intent classification (issue 11, Targets): a seeded subset of CLINC150's in-scope intents, a few training
/// examples of each from the train split, closed-set accuracy on the val split of the same intents — for the head on
/// frozen embeddings and for the encoder fine-tuning methods, each with the library's defaults. No test data is read.
/// </summary>
internal static class FewShotBenchmark
{
    public const string Usage = "fewshot [--data data_full.json] [--intents 77] [--shots 8] [--seed 1] [--methods head,contrastive,lora,full] [--encoder-epochs N] [--train-word-embeddings true|false]";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        string? data = null;
        int intents = 77, shots = 8, seed = 1;
        int? encoderEpochs = null;
        var trainWordEmbeddings = false;
        string[] methods = ["head", "contrastive"];
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = value; break;
                case "--intents": intents = int.Parse(value); break;
                case "--shots": shots = int.Parse(value); break;
                case "--seed": seed = int.Parse(value); break;
                case "--methods": methods = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--encoder-epochs": encoderEpochs = int.Parse(value); break;
                case "--train-word-embeddings": trainWordEmbeddings = bool.Parse(value); break;
                default: throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}");
            }
        }

        var path = FindClinc(data);
        var dataset = await DatasetReader.ReadAsync(path, new DatasetReadOptions { Format = DatasetFormat.Clinc }, cancellationToken).ConfigureAwait(false);
        var (train, validation) = Subset(dataset, intents, shots, seed);
        Console.WriteLine($"CLINC150 few-shot: {intents} intents (seed {seed}), {shots} train examples each ({train.Length}), " +
            $"{validation.Length} val items; {Environment.ProcessorCount} logical CPUs; load average {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| method | closed-set accuracy (val) | train s | load average after |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var method in methods)
        {
            var (accuracy, seconds) = await RunMethodAsync(method, train, validation, seed, encoderEpochs, trainWordEmbeddings, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"| {method} | {accuracy:F3} | {seconds:F0} | {LoadAverage()} |");
        }

        return 0;
    }

    /// <summary>The first <paramref name="intents"/> in-scope intents in a seeded order, <paramref name="shots"/> seeded train examples of each, and all their val items.</summary>
    internal static (LabeledExample[] Train, LabeledExample[] Validation) Subset(IntentDataset dataset, int intents, int shots, int seed)
    {
        var random = new Random(seed);
        var names = dataset.Splits[DatasetSplitNames.Train].Select(i => i.Intent).Where(i => i != OutOfScope.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        random.Shuffle(names);
        var chosen = names.Take(intents).ToHashSet(StringComparer.Ordinal);
        var train = dataset.Splits[DatasetSplitNames.Train].Where(i => chosen.Contains(i.Intent)).GroupBy(i => i.Intent)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g =>
            {
                var items = g.ToArray();
                random.Shuffle(items);
                return items.Take(shots);
            })
            .Select(i => i.ToExample()).ToArray();
        var validation = dataset.Splits[DatasetSplitNames.Validation].Where(i => chosen.Contains(i.Intent)).Select(i => i.ToExample()).ToArray();
        return (train, validation);
    }

    private static async Task<(double Accuracy, double Seconds)> RunMethodAsync(
        string method, LabeledExample[] train, LabeledExample[] validation, int seed, int? encoderEpochs, bool trainWordEmbeddings, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"parley-bench-fewshot-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var head = new TrainerOptions { Seed = seed };
            IntentModel model;
            FineTunedIntentModel? fineTuned = null;
            using var encoder = new MiniLmEmbeddingGenerator();
            if (method == "head")
            {
                // The validation items are not given to training: the trainer holds out its own part of the few examples.
                model = await IntentModelTrainer.TrainAsync(FeaturizerFactory.Create(new FeaturizerSettings { Kind = FeaturizerSettings.Embeddings }, encoder), train, null, head, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var options = new EncoderTrainerOptions
                {
                    Method = Enum.Parse<EncoderTrainingMethod>(method, ignoreCase: true),
                    Seed = seed,
                    CheckpointDirectory = folder,
                    TrainWordEmbeddings = trainWordEmbeddings,
                };
                if (encoderEpochs is { } epochs)
                {
                    options.Epochs = epochs;
                }

                var last = 0;
                var progress = new Progress<EncoderTrainingProgress>(p =>
                {
                    if (p.IsEpochEnd || p.Step - last >= 50)
                    {
                        last = p.Step;
                        Console.Error.WriteLine($"  {method}: step {p.Step}/{p.TotalSteps}, epoch {p.Epoch}, loss {p.Loss:F4}{(p.ValidationAccuracy is { } a ? $", holdout accuracy {a:F3}" : "")}, {p.Elapsed.TotalSeconds:F0} s");
                    }
                });
                fineTuned = await EncoderIntentModelTrainer.TrainAsync(train, null, options, head, progress, null, cancellationToken).ConfigureAwait(false);
                model = fineTuned.Model;
            }

            var seconds = stopwatch.Elapsed.TotalSeconds;
            var predictions = await model.PredictBatchAsync([.. validation.Select(v => v.Text)], cancellationToken: cancellationToken).ConfigureAwait(false);
            var correct = validation.Where((v, i) => predictions[i].ClosedPredicted == v.Intent).Count();
            fineTuned?.Dispose();
            return (correct / (double)validation.Length, seconds);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                Console.Error.WriteLine($"could not remove {folder}");
            }
        }
    }
}
