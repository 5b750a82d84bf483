using Parley.Nlu.Torch.Training;
using Parley.Nlu.Training;

namespace Parley.Nlu.Torch.Tests;

public sealed class TorchEncoderFineTunerTests
{
    private static EncoderFineTuningRequest Request(string method, int? epochs = null, int? batchSize = null, double? multiplier = null) => new()
    {
        Method = method,
        Training = TinyIntents.Training,
        WorkFolder = "/tmp/unused",
        Epochs = epochs,
        BatchSize = batchSize,
        LearningRateMultiplier = multiplier,
        Seed = 9,
    };

    [Fact]
    public void ToOptions_OpenAIHyperparameters_MapToEpochsBatchSizeAndScaledDefaultRates()
    {
        var defaults = new EncoderTrainerOptions();

        var options = TorchEncoderFineTuner.ToOptions(Request(TrainingMethods.Lora, epochs: 3, batchSize: 8, multiplier: 0.5));

        Assert.Equal(EncoderTrainingMethod.Lora, options.Method);
        Assert.Equal(3, options.Epochs);
        Assert.Equal(3, options.MinEpochs);
        Assert.Equal(0, options.Patience);
        Assert.Equal(8, options.BatchSize);
        Assert.Equal(defaults.EncoderLearningRate * 0.5, options.EncoderLearningRate, 12);
        Assert.Equal(defaults.AdapterLearningRate * 0.5, options.AdapterLearningRate, 12);
        Assert.Equal(defaults.HeadLearningRate * 0.5, options.HeadLearningRate, 12);
        Assert.Equal(9, options.Seed);
        Assert.Null(options.CheckpointDirectory);
    }

    [Fact]
    public void ToOptions_Auto_KeepsTheDefaultsWithEarlyStopping()
    {
        var defaults = new EncoderTrainerOptions();

        var options = TorchEncoderFineTuner.ToOptions(Request(TrainingMethods.Full));

        Assert.Equal(EncoderTrainingMethod.Full, options.Method);
        Assert.Equal(defaults.Epochs, options.Epochs);
        Assert.Equal(defaults.Patience, options.Patience);
        Assert.Equal(defaults.BatchSize, options.BatchSize);
        Assert.Equal(defaults.EncoderLearningRate, options.EncoderLearningRate);
        Assert.Equal(defaults.Epochs, new TorchEncoderFineTuner().DefaultEpochs);
        Assert.Equal(defaults.BatchSize, new TorchEncoderFineTuner().DefaultBatchSize);
    }

    [Theory]
    [InlineData("head")]
    [InlineData("auto")]
    public void ToOptions_NotAnEncoderMethod_IsRefused(string method)
    {
        var e = Assert.Throws<EncoderFineTuningException>(() => TorchEncoderFineTuner.ToOptions(Request(method)));
        Assert.Contains($"'{method}' does not fine-tune the encoder", e.Message);
    }

    [Fact]
    public void Describe_LibtorchThatDidNotLoad_SaysSoAndWhatToDo()
    {
        var missing = new TypeInitializationException("TorchSharp.torch", new DllNotFoundException("Unable to load shared library 'LibTorchSharp'\nmore lines"));

        var message = TorchEncoderFineTuner.Describe(new AggregateException(missing));

        Assert.NotNull(message);
        Assert.StartsWith("fine-tuning the encoder needs libtorch, which did not load: Unable to load shared library 'LibTorchSharp' (", message);
        Assert.Contains("the head method needs none", message);
        Assert.Null(TorchEncoderFineTuner.Describe(new InvalidOperationException("a bug")));
        Assert.Null(TorchEncoderFineTuner.Describe(new ArgumentNullException("training")));
        Assert.Equal("fine-tuning needs at least two intents", TorchEncoderFineTuner.Describe(new ArgumentException("fine-tuning needs at least two intents")));
    }

    [Fact]
    public async Task TrainAsync_OneIntent_IsAnEncoderFineTuningException()
    {
        var work = Directory.CreateTempSubdirectory("parley-ft-").FullName;
        try
        {
            var e = await Assert.ThrowsAsync<EncoderFineTuningException>(() => new TorchEncoderFineTuner().TrainAsync(new EncoderFineTuningRequest
            {
                Method = TrainingMethods.Lora,
                Training = [.. TinyIntents.Training.Where(i => i.Intent == "weather")],
                WorkFolder = work,
            }));
            Assert.Contains("at least two intents", e.Message);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
