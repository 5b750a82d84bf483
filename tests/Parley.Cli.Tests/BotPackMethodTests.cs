using System.Text;
using System.Text.Json;

namespace Parley.Cli.Tests;

/// <summary>A bot pack whose <c>method</c> fine-tunes the encoder: the parley command trains it that way (TorchSharp).</summary>
public sealed class BotPackMethodTests : IDisposable
{
    private static readonly (string Intent, string[] Texts)[] Intents =
    [
        ("weather", ["what's the weather today", "will it rain tomorrow", "is it sunny outside", "how cold is it", "do I need an umbrella", "what is the forecast for the weekend"]),
        ("music", ["play some jazz", "put on my playlist", "play the next song", "turn on some music", "play a song by queen", "skip this track"]),
        ("timer", ["set a timer for ten minutes", "start a 5 minute timer", "how long is left on the timer", "stop the timer", "countdown 30 seconds", "cancel the timer"]),
    ];

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Ask_PackWithMethodLora_TrainsALoraModelThatRecordsItAndRoutes()
    {
        var bot = Path.Combine(_cli.Directory, "bot");
        Directory.CreateDirectory(Path.Combine(bot, "intents"));
        File.WriteAllText(Path.Combine(bot, "bot.yaml"), "name: tiny\nmethod: lora\n");
        var intents = new StringBuilder("intents:\n");
        foreach (var (intent, texts) in Intents)
        {
            intents.Append($"  - name: {intent}\n    response: This is {intent}.\n    examples:\n");
            foreach (var text in texts)
            {
                intents.Append($"      - \"{text}\"\n");
            }
        }

        File.WriteAllText(Path.Combine(bot, "intents", "all.yaml"), intents.ToString());
        var data = Path.Combine(_cli.Directory, "data");
        _cli.Environment["PARLEY_DATA_DIR"] = data;

        var result = await _cli.RunAsync(["ask", "--bot", bot, "--json", "will it rain tomorrow"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("weather", result.Json().GetProperty("intent").GetProperty("name").GetString());
        var model = Assert.Single(Directory.GetDirectories(Path.Combine(data, "models")));
        Assert.StartsWith("tiny-", Path.GetFileName(model), StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")));
        Assert.Equal("lora", manifest.RootElement.GetProperty("method").GetString());
        Assert.True(File.Exists(Path.Combine(model, "encoder.onnx")), "the fine-tuned encoder is in the model folder");
        Assert.False(Directory.Exists(model + ".training"), "the work folder is removed");
    }
}
