using Parley.Core;
using Parley.Nlu.Torch.Training;
using Parley.Nlu.Training;

namespace Parley.Nlu.Torch.Tests;

public sealed class EncoderTrainerTests
{
    /// <summary>The word-embedding table: 30,522 tokens × 384.</summary>
    private const long WordEmbeddingWeights = 30_522 * 384;

    private static EncoderTrainerOptions Tiny(EncoderTrainingMethod method, int epochs = 4) => new()
    {
        Method = method,
        Epochs = epochs,
        MinEpochs = epochs,
        Patience = 0,
        BatchSize = 4,
        EncoderLearningRate = 1e-4,
        AdapterLearningRate = 5e-3,
        HeadLearningRate = 5e-2,
        WarmupFraction = 0.1,
        MaxTokens = 16,
        PairsPerExample = 4,
        Seed = 7,
        Threads = 1,
    };

    [Theory]
    [InlineData(EncoderTrainingMethod.Full)]
    [InlineData(EncoderTrainingMethod.Lora)]
    public void Train_SeparableData_LossFallsAndValidationAccuracyReaches100(EncoderTrainingMethod method)
    {
        var steps = new List<EncoderTrainingProgress>();

        using var result = EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, Tiny(method), new SynchronousProgress<EncoderTrainingProgress>(steps.Add));

        Assert.Equal(4, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss * 0.8, string.Join(", ", result.History.Select(h => h.TrainLoss)));
        Assert.Equal(1.0, result.History[result.BestEpoch - 1].ValidationAccuracy);
        Assert.Equal(12, result.Steps);
        Assert.Equal(Enumerable.Range(1, 12), steps.Where(s => !s.IsEpochEnd).Select(s => s.Step));
        Assert.All(steps, s => Assert.Equal(12, s.TotalSteps));
        Assert.Equal(4, steps.Count(s => s.IsEpochEnd));
    }

    [Fact]
    public void Train_Lora_TrainsAdaptersAndHeadOnlyAndLeavesBaseWeights()
    {
        using var original = TorchSentenceEncoder.Load();
        var before = original.Module.NamedTensors().ToDictionary(t => t.Name, t => t.Tensor.data<float>().ToArray());

        using var result = EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, Tiny(EncoderTrainingMethod.Lora, epochs: 1));

        // r = 8 on query and value of 6 layers: 12 × (8·384 + 384·8) = 73,728 adapter weights, + 3 × 385 head weights.
        Assert.Equal(73_728 + 1_155, result.TrainableParameters);
        Assert.True(result.TrainableParameters < 0.01 * result.TotalParameters);
        foreach (var (name, tensor) in result.Encoder.Module.NamedTensors())
        {
            Assert.Equal(before[name], tensor.data<float>().ToArray());
        }

        Assert.All(result.Encoder.Module.AdapterParameters().Where(p => p.Name.EndsWith("lora_b", StringComparison.Ordinal)),
            p => Assert.NotEqual(0f, p.Parameter.abs().max().item<float>()));
    }

    [Fact]
    public void Train_Contrastive_PairLossFallsAndCentroidsSeparateValidation()
    {
        using var result = EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, Tiny(EncoderTrainingMethod.Contrastive, epochs: 3));

        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, string.Join(", ", result.History.Select(h => h.TrainLoss)));
        Assert.Equal(1.0, result.History[result.BestEpoch - 1].ValidationAccuracy);
        Assert.Equal(result.TotalParameters - WordEmbeddingWeights, result.TrainableParameters);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Train_Full_TrainsTheWordEmbeddingTableOnlyWhenAsked(bool trainWordEmbeddings)
    {
        using var original = TorchSentenceEncoder.Load();
        var before = original.Module.NamedTensors().ToDictionary(t => t.Name, t => t.Tensor.data<float>().ToArray());
        var options = Tiny(EncoderTrainingMethod.Full, epochs: 1);
        options.TrainWordEmbeddings = trainWordEmbeddings;

        using var result = EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, options);

        var after = result.Encoder.Module.NamedTensors().ToDictionary(t => t.Name, t => t.Tensor.data<float>().ToArray());
        Assert.Equal(!trainWordEmbeddings, before["embeddings.word_embeddings.weight"].AsSpan().SequenceEqual(after["embeddings.word_embeddings.weight"]));
        Assert.NotEqual(before["encoder.layer.0.attention.self.query.weight"], after["encoder.layer.0.attention.self.query.weight"]);
        Assert.Equal(result.TotalParameters - (trainWordEmbeddings ? 0 : WordEmbeddingWeights), result.TrainableParameters);
    }

    [Theory]
    [InlineData(EncoderTrainingMethod.Full)]
    [InlineData(EncoderTrainingMethod.Contrastive)]
    public void Train_WithFrozenLayers_LeavesTheEmbeddingsAndBottomLayersAndTrainsTheRest(EncoderTrainingMethod method)
    {
        using var original = TorchSentenceEncoder.Load();
        var before = original.Module.NamedTensors().ToDictionary(t => t.Name, t => t.Tensor.data<float>().ToArray());
        var options = Tiny(method, epochs: 1);
        options.FrozenLayers = 2;

        using var result = EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, options);

        var after = result.Encoder.Module.NamedTensors().ToDictionary(t => t.Name, t => t.Tensor.data<float>().ToArray());
        var frozen = before.Keys.Where(n => n.StartsWith("embeddings.", StringComparison.Ordinal) || n.StartsWith("encoder.layer.0.", StringComparison.Ordinal) || n.StartsWith("encoder.layer.1.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5 + (2 * 16), frozen.Length);
        Assert.All(frozen, n => Assert.True(before[n].AsSpan().SequenceEqual(after[n]), $"{n} changed"));
        Assert.All(Enumerable.Range(2, 4), i => Assert.NotEqual(before[$"encoder.layer.{i}.attention.self.query.weight"], after[$"encoder.layer.{i}.attention.self.query.weight"]));
        Assert.Equal(result.TotalParameters - frozen.Sum(n => (long)before[n].Length), result.TrainableParameters);
    }

    [Theory]
    [InlineData(EncoderTrainingMethod.Full, 6, false)]
    [InlineData(EncoderTrainingMethod.Full, -1, false)]
    [InlineData(EncoderTrainingMethod.Full, 1, true)]
    [InlineData(EncoderTrainingMethod.Lora, 1, false)]
    public void Validate_FrozenLayersOutOfRangeOrWithLoraOrWordEmbeddings_NamesTheSetting(EncoderTrainingMethod method, int frozenLayers, bool trainWordEmbeddings)
    {
        var options = new EncoderTrainerOptions { Method = method, FrozenLayers = frozenLayers, TrainWordEmbeddings = trainWordEmbeddings };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(trainWordEmbeddings ? nameof(EncoderTrainerOptions.TrainWordEmbeddings) : nameof(EncoderTrainerOptions.FrozenLayers), error.ParamName);
    }

    [Fact]
    public void Train_KilledAndResumed_ContinuesFromCheckpointStepAndMatchesUninterruptedRun()
    {
        var folder = Directory.CreateTempSubdirectory("parley-resume-");
        try
        {
            var options = Tiny(EncoderTrainingMethod.Lora, epochs: 2);
            options.CheckpointSteps = 1;
            options.CheckpointDirectory = Path.Combine(folder.FullName, "straight");
            using var straight = EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, options);

            options.CheckpointDirectory = Path.Combine(folder.FullName, "killed");
            using var kill = new CancellationTokenSource();
            var killed = new SynchronousProgress<EncoderTrainingProgress>(p =>
            {
                if (p.Step == 4 && !p.IsEpochEnd)
                {
                    kill.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, options, killed, kill.Token));

            options.Resume = true;
            var resumedSteps = new List<int>();
            using var resumed = EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, options, new SynchronousProgress<EncoderTrainingProgress>(p => resumedSteps.Add(p.Step)));

            Assert.Equal(4, resumed.ResumedAtStep);
            Assert.Equal(5, resumedSteps[0]);
            Assert.Equal(straight.Steps, resumed.Steps);
            Assert.Equal(straight.History.Select(h => h.Epoch), resumed.History.Select(h => h.Epoch));
            Assert.Equal(straight.History[^1].TrainLoss, resumed.History[^1].TrainLoss, 4);
            // Fresh AdamW moments after the restart would move the adapters differently: equality needs the optimizer state back.
            var expected = straight.Encoder.Module.AdapterParameters().ToDictionary(p => p.Name, p => p.Parameter.data<float>().ToArray());
            foreach (var (name, parameter) in resumed.Encoder.Module.AdapterParameters())
            {
                var actual = parameter.data<float>().ToArray();
                var difference = expected[name].Zip(actual).Max(x => Math.Abs(x.First - x.Second));
                Assert.True(difference < 1e-4, $"{name} differs by {difference}");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Train_ResumeWithOtherData_RefusesTheCheckpoint()
    {
        var folder = Directory.CreateTempSubdirectory("parley-resume-");
        try
        {
            var options = Tiny(EncoderTrainingMethod.Lora, epochs: 1);
            options.CheckpointDirectory = folder.FullName;
            EncoderTrainer.Train(TinyIntents.Training, TinyIntents.Validation, options).Dispose();

            options.Resume = true;
            var error = Assert.Throws<InvalidDataException>(() => EncoderTrainer.Train(TinyIntents.Training.Skip(1).ToArray(), TinyIntents.Validation, options));
            Assert.Contains("other data or training settings", error.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
