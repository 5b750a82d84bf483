using System.Text;
using System.Text.Json;

namespace Parley.Cli.Tests;

public sealed class NluFineTuneCommandTests : IDisposable
{
    private static readonly (string Intent, string[] Texts)[] Intents =
    [
        ("weather", ["what's the weather today", "will it rain tomorrow", "is it sunny outside", "how cold is it", "do I need an umbrella", "what is the forecast for the weekend"]),
        ("music", ["play some jazz", "put on my playlist", "play the next song", "turn on some music", "play a song by queen", "skip this track"]),
        ("timer", ["set a timer for ten minutes", "start a 5 minute timer", "how long is left on the timer", "stop the timer", "countdown 30 seconds", "cancel the timer"]),
    ];

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string TrainData()
    {
        var path = Path.Combine(_cli.Directory, "train.csv");
        var csv = new StringBuilder("text,intent\n");
        foreach (var (intent, texts) in Intents)
        {
            foreach (var text in texts)
            {
                csv.Append('"').Append(text).Append("\",").Append(intent).Append('\n');
            }
        }

        File.WriteAllText(path, csv.ToString());
        return path;
    }

    [Fact]
    public async Task Train_MethodLora_SavesEncoderAndAdaptersAndPredicts()
    {
        var model = Path.Combine(_cli.Directory, "model");

        var train = await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", model, "--method", "lora", "--encoder-epochs", "1", "--json"]);

        Assert.True(train.ExitCode == 0, train.Error);
        var encoder = JsonDocument.Parse(train.Output).RootElement.GetProperty("encoder");
        Assert.Equal("lora", encoder.GetProperty("method").GetString());
        Assert.Equal(73_728 + (3 * 385), encoder.GetProperty("trainable_parameters").GetInt64());
        Assert.InRange(encoder.GetProperty("adapter_bytes").GetInt64(), 1, 2 * 1024 * 1024);
        Assert.True(File.Exists(Path.Combine(model, "encoder.onnx")));
        Assert.True(File.Exists(Path.Combine(model, "lora-adapters.bin")));
        Assert.False(Directory.Exists(model + ".training"), "the checkpoints are removed once the model is saved");

        var predict = await _cli.RunAsync(["nlu", "predict", "--model", model, "--json", "play a song by the beatles"]);
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Contains("music", predict.Output);
    }

    [Fact]
    public async Task Train_MethodFullWithCombinedFeatures_HeadReadsTheFineTunedEncoderAndNGrams()
    {
        var model = Path.Combine(_cli.Directory, "model");

        var train = await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", model, "--method", "full", "--features", "combined", "--encoder-epochs", "1", "--json"]);

        Assert.True(train.ExitCode == 0, train.Error);
        var featurizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json"))).RootElement.GetProperty("featurizer");
        Assert.Equal("combined", featurizer.GetProperty("kind").GetString());
        Assert.Equal("encoder.onnx", featurizer.GetProperty("encoderFile").GetString());
        Assert.True(File.Exists(Path.Combine(model, "encoder.onnx")));

        var predict = await _cli.RunAsync(["nlu", "predict", "--model", model, "--json", "set a timer for twenty minutes"]);
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Contains("timer", predict.Output);
    }

    [Fact]
    public async Task Train_FineTuningWithCharNGrams_IsAUsageError()
    {
        var result = await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", Path.Combine(_cli.Directory, "m"), "--method", "full", "--features", "char-ngrams"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--features embeddings", result.Error);
    }

    [Fact]
    public async Task Train_ResumeWithoutCheckpoint_SaysThereIsNone()
    {
        var result = await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", Path.Combine(_cli.Directory, "m"), "--method", "lora", "--resume"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no checkpoint to resume from", result.Error);
    }

    [Theory]
    [InlineData("full", "--freeze-layers", "6", "invalid fine-tuning option --freeze-layers 6: The encoder has 6 layers; freeze 0 to 5 of them.")]
    [InlineData("lora", "--freeze-layers", "2", "invalid fine-tuning option --freeze-layers 2: LoRA leaves every layer's weights frozen already")]
    [InlineData("lora", "--lora-rank", "0", "invalid fine-tuning option --lora-rank 0: --lora-rank ('0') must be greater than or equal to '1'.")]
    [InlineData("full", "--encoder-epochs", "0", "invalid fine-tuning option --encoder-epochs 0: --encoder-epochs ('0') must be")]
    [InlineData("full", "--encoder-lr", "-0.5", "invalid fine-tuning option --encoder-lr -0.5: Must be a positive number.")]
    public async Task Train_FineTuningOptionOutOfRange_NamesTheOptionAndItsValue(string method, string option, string value, string expected)
    {
        var result = await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", Path.Combine(_cli.Directory, "m"), "--method", method, option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("Parameter '", result.Error);
        Assert.DoesNotContain("Actual value", result.Error);
        // Refused before any work: --augment auto trains models to decide, and used to run first.
        Assert.DoesNotContain("augment", result.Error);
        Assert.False(Directory.Exists(Path.Combine(_cli.Directory, "m")), "nothing is written for a refused option");
    }
}
