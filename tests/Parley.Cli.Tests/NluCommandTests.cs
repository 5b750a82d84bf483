using System.Text;
using System.Text.Json;

namespace Parley.Cli.Tests;

public sealed class NluCommandTests : IDisposable
{
    private static readonly (string Intent, string[] Texts)[] Intents =
    [
        ("weather", ["what's the weather today", "will it rain tomorrow", "is it sunny outside", "how cold is it", "weather forecast please", "do I need an umbrella", "temperature in london", "is it going to snow", "how hot will it be", "what is the forecast for the weekend", "is it windy today", "will there be a storm"]),
        ("music", ["play some jazz", "put on my playlist", "play the next song", "turn on some music", "I want to hear rock", "play a song by queen", "shuffle my music", "start the radio", "play something relaxing", "skip this track", "play my favourite album", "music please"]),
        ("alarm", ["set an alarm for 7", "wake me up at six", "alarm at 5 30 please", "set a wake up alarm", "cancel my alarm", "change my alarm to 8", "remind me to wake at 9", "set alarm for tomorrow morning", "turn off the alarm", "add an alarm at noon", "snooze the alarm", "alarm for 6 am"]),
        ("timer", ["set a timer for ten minutes", "start a 5 minute timer", "timer for the pasta", "how long is left on the timer", "stop the timer", "countdown 30 seconds", "set a timer for an hour", "pause my timer", "add two minutes to the timer", "timer 15 minutes", "cancel the timer", "begin a three minute timer"]),
    ];

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string WriteCsv(string name, IEnumerable<(string Intent, string Text)> rows)
    {
        var path = Path.Combine(_cli.Directory, name);
        var csv = new StringBuilder("text,intent\n");
        foreach (var (intent, text) in rows)
        {
            csv.Append('"').Append(text.Replace("\"", "\"\"")).Append("\",").Append(intent).Append('\n');
        }

        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private string TrainData() => WriteCsv("train.csv", Intents.SelectMany(i => i.Texts.Select(t => (i.Intent, t))));

    [Fact]
    public async Task TrainEvalPredict_SmallDataset_WorksEndToEndAndRecordsTheRun()
    {
        var model = Path.Combine(_cli.Directory, "model");

        var train = await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", model, "--json", "--seed", "7"]);

        Assert.True(train.ExitCode == 0, train.Error);
        var summary = JsonDocument.Parse(train.Output).RootElement;
        Assert.Equal(4, summary.GetProperty("intents").GetInt32());
        Assert.True(File.Exists(Path.Combine(model, "manifest.json")));
        Assert.Equal("head", summary.GetProperty("method").GetString());
        Assert.Contains("4 intents, median", summary.GetProperty("method_reason").GetString());
        Assert.Contains(summary.GetProperty("augment").GetString(), new[] { "none", "typos" });
        Assert.Contains("validation accuracy clean/noisy", summary.GetProperty("augment_reason").GetString());
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json"))).RootElement;
        Assert.Equal("head", manifest.GetProperty("method").GetString());
        Assert.Equal(summary.GetProperty("augment").GetString(), manifest.GetProperty("augmentation").GetString());
        Assert.True(manifest.GetProperty("gate").GetProperty("threshold").GetDouble() > 0);
        Assert.True(File.Exists(Path.Combine(model, "centroids.bin")));
        var runId = summary.GetProperty("run").GetString()!;

        var test = WriteCsv("test.csv", [("weather", "is it raining in paris"), ("music", "play a tune"), ("alarm", "wake me at seven"), ("timer", "set a timer for 3 minutes")]);
        var report = Path.Combine(_cli.Directory, "report");
        var eval = await _cli.RunAsync(["nlu", "eval", "--model", model, "--data", test, "--json", "--report", report]);
        Assert.True(eval.ExitCode == 0, eval.Error);
        var metrics = JsonDocument.Parse(eval.Output).RootElement;
        Assert.True(metrics.GetProperty("closed_accuracy").GetDouble() >= 0.75, eval.Output);
        Assert.True(File.Exists(Path.Combine(report, "report.html")));

        var predict = await _cli.RunAsync(["nlu", "predict", "--model", model, "--json", "-"], input: "play some music\nset an alarm for 6\n");
        var lines = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal("music", lines[0].GetProperty("intent").GetString());
        Assert.Equal("set an alarm for 6", lines[1].GetProperty("text").GetString());
        Assert.True(lines[1].GetProperty("top").GetArrayLength() >= 1);

        var show = await _cli.RunAsync(["runs", "show", runId, "--json"]);
        var run = JsonDocument.Parse(show.Output).RootElement;
        Assert.Equal(7, run.GetProperty("parameters").GetProperty("seed").GetInt32());
        Assert.Equal("head", run.GetProperty("parameters").GetProperty("method").GetString());
        Assert.StartsWith("method head", run.GetProperty("parameters").GetProperty("method_reason").GetString());
        Assert.True(run.GetProperty("history").GetArrayLength() >= 1);
    }

    [Fact]
    public async Task Train_ErrorIsATerminal_RedrawsOneProgressLine()
    {
        var data = TrainData();
        var logged = await _cli.RunAsync(["nlu", "train", "--data", data, "--out", Path.Combine(_cli.Directory, "m1"), "--seed", "7"]);
        _cli.ErrorIsTerminal = true;

        var drawn = await _cli.RunAsync(["nlu", "train", "--data", data, "--out", Path.Combine(_cli.Directory, "m2"), "--seed", "7"]);

        Assert.True(logged.ExitCode == 0 && drawn.ExitCode == 0, logged.Error + drawn.Error);
        static int EpochLines(string error) => error.Split('\n').Count(l => l.Contains("epoch ", StringComparison.Ordinal));
        Assert.DoesNotContain("\u001b[", logged.Error, StringComparison.Ordinal);
        Assert.True(EpochLines(logged.Error) > 3, logged.Error);
        // On a terminal every epoch redraws the same row ("\r…\u001b[K"); only the last stays, on a row of its own.
        Assert.Equal(1, EpochLines(drawn.Error));
        Assert.True(drawn.Error.Split("\u001b[K").Length > 3, drawn.Error);
        // Each redrawn step is cut to the terminal's width (100 here), so it never wraps.
        Assert.All(drawn.Error.Split("\u001b[K")[..^1], step => Assert.True(step[(step.LastIndexOf('\r') + 1)..].Length < 100, step));
    }

    [Fact]
    public async Task Train_DataWithErrors_IsRefusedWithLines()
    {
        var data = Path.Combine(_cli.Directory, "bad.csv");
        await File.WriteAllTextAsync(data, "text,intent\nhello,greet\n,greet\nbye,\n");

        var result = await _cli.RunAsync(["nlu", "train", "--data", data, "--out", Path.Combine(_cli.Directory, "m")]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("bad.csv:3", result.Error);
        Assert.Contains("bad.csv:4", result.Error);
        Assert.False(Directory.Exists(Path.Combine(_cli.Directory, "m")));
    }

    [Fact]
    public async Task Predict_CorruptModel_IsRefusedWithAClearMessage()
    {
        var model = Path.Combine(_cli.Directory, "model");
        Assert.Equal(0, (await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", model, "--json"])).ExitCode);
        var head = Path.Combine(model, "head.bin");
        var bytes = await File.ReadAllBytesAsync(head);
        await File.WriteAllBytesAsync(head, bytes[..(bytes.Length / 2)]);

        var result = await _cli.RunAsync(["nlu", "predict", "--model", model, "hello"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("head.bin", result.Error);
    }

    [Fact]
    public async Task Calibrate_Budget_RewritesTheThresholdInPlace()
    {
        var model = Path.Combine(_cli.Directory, "model");
        Assert.Equal(0, (await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", model, "--json", "--seed", "7"])).ExitCode);
        var val = WriteCsv("val.csv", [
            ("weather", "is it raining in paris"), ("weather", "forecast for monday"), ("music", "play a tune"), ("music", "put some rock on"),
            ("alarm", "wake me at seven"), ("alarm", "alarm for half past six"), ("timer", "set a timer for 3 minutes"), ("timer", "ten minute countdown"),
            ("oos", "what is the capital of peru"), ("oos", "how do I bake bread"), ("oos", "tell me a joke"), ("oos", "who won the match"),
        ]);

        var strict = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", val, "--max-rejection", "0", "--json"]);
        var balanced = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", val]);
        var noOos = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", WriteCsv("in.csv", [("music", "play a tune"), ("timer", "stop the timer")])]);

        Assert.True(strict.ExitCode == 0, strict.Error);
        var result = JsonDocument.Parse(strict.Output).RootElement;
        Assert.Equal(0, result.GetProperty("rejection_rate").GetDouble());
        Assert.Contains("at most 0", result.GetProperty("criterion").GetString());
        Assert.True(balanced.ExitCode == 0, balanced.Error);
        Assert.Contains("mean of in-scope accuracy", balanced.Output);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json"))).RootElement;
        Assert.Contains("mean of in-scope accuracy", manifest.GetProperty("calibration").GetProperty("criterion").GetString());
        Assert.Equal(2, noOos.ExitCode);
        Assert.Contains("labelled 'oos' items", noOos.Error);
        Assert.DoesNotContain("(Parameter", noOos.Error);
        var percent = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", val, "--max-rejection", "5"]);
        Assert.Equal(2, percent.ExitCode);
        Assert.Contains("below 1 (e.g. 0.01 for 1%); got 5", percent.Error);
        var unknown = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", WriteCsv("unknown.csv", [("music", "play a tune"), ("refund", "money back please"), ("oos", "tell me a joke")]), "--max-rejection", "0.1"]);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("does not know: 'refund' (1 item)", unknown.Error);
        Assert.Equal(0, (await _cli.RunAsync(["nlu", "predict", "--model", model, "play some music"])).ExitCode);
    }

    [Fact]
    public async Task Calibrate_PerIntentThresholds_ChoosesThemAndFalseRemovesThem()
    {
        var model = Path.Combine(_cli.Directory, "model");
        Assert.Equal(0, (await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", model, "--json", "--seed", "7"])).ExitCode);
        // 12 items of weather and of music (enough for their own thresholds: 10), 2 of the others, 6 out of scope.
        var val = WriteCsv("val.csv", [
            .. Intents.Where(i => i.Intent is "weather" or "music").SelectMany(i => i.Texts.Select(t => (i.Intent, t))),
            ("alarm", "wake me at seven"), ("alarm", "alarm for half past six"), ("timer", "set a timer for 3 minutes"), ("timer", "ten minute countdown"),
            ("oos", "what is the capital of peru"), ("oos", "how do I bake bread"), ("oos", "tell me a joke"), ("oos", "who won the match"),
            ("oos", "book a table for two"), ("oos", "what's my bank balance"),
        ]);

        var own = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", val, "--per-intent-thresholds", "--json"]);
        var text = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", val]);
        var removed = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", val, "--per-intent-thresholds", "false", "--json"]);
        var withBudget = await _cli.RunAsync(["nlu", "calibrate", "--model", model, "--data", val, "--per-intent-thresholds", "--max-rejection", "0.1"]);
        var trainWithBudget = await _cli.RunAsync(["nlu", "train", "--data", TrainData(), "--out", Path.Combine(_cli.Directory, "m2"), "--per-intent-thresholds", "--max-rejection", "0.1"]);

        Assert.True(own.ExitCode == 0, own.Error);
        Assert.Equal(2, JsonDocument.Parse(own.Output).RootElement.GetProperty("intent_thresholds").GetInt32());
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("Per-intent thresholds: 2 (before: 2)", text.Output);
        Assert.True(removed.ExitCode == 0, removed.Error);
        var after = JsonDocument.Parse(removed.Output).RootElement;
        Assert.Equal(0, after.GetProperty("intent_thresholds").GetInt32());
        Assert.Equal(2, after.GetProperty("previous_intent_thresholds").GetInt32());
        Assert.Equal(2, withBudget.ExitCode);
        Assert.Contains("--per-intent-thresholds cannot go with --max-rejection", withBudget.Error);
        Assert.Equal(2, trainWithBudget.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_cli.Directory, "m2")));
    }

    [Fact]
    public async Task Predict_MissingModel_SaysHowToTrainOne()
    {
        var result = await _cli.RunAsync(["nlu", "predict", "--model", Path.Combine(_cli.Directory, "none"), "hello"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("nlu train", result.Error);
    }
}
