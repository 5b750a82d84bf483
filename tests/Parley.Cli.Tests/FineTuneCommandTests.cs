using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Parley.Cli.Commands;
using Parley.OpenAI.FineTuning;
using Parley.Testing;

namespace Parley.Cli.Tests;

/// <summary><c>parley finetune …</c> against the scripted fine-tuning API and chat completions of <see cref="OpenAITestServer"/>.</summary>
public sealed class FineTuneCommandTests : IAsyncLifetime, IDisposable
{
    private const string Good = """{"messages":[{"role":"system","content":"Answer with the intent."},{"role":"user","content":"hi"},{"role":"assistant","content":"greet"}]}""";
    private const string Poll = "0.01";
    private readonly CliRunner _cli = new();
    private OpenAITestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await OpenAITestServer.StartAsync();
        _server.Models = [OpenAITestServer.DefaultModel, "all-MiniLM-L6-v2"];
        _cli.Environment["OPENAI_BASE_URL"] = _server.BaseUrl.ToString();
        _cli.Environment["Parley__Retry__DeadlineSeconds"] = "5";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    private string Write(string name, string content)
    {
        var path = Path.Combine(_cli.Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string ChatFile(string name = "train.jsonl") => Write(name, string.Join('\n', Enumerable.Repeat(Good, 12)) + "\n");

    [Fact]
    public async Task Create_ChatFile_UploadsCreatesWithHyperparametersAndPrintsTheJobId()
    {
        var train = ChatFile();
        var validation = ChatFile("val.jsonl");

        var result = await _cli.RunAsync(["finetune", "create", "--file", train, "--validation-file", validation, "--model", "all-MiniLM-L6-v2",
            "--suffix", "shop", "--epochs", "4", "--batch-size", "auto", "--lr-multiplier", "0.3", "--seed", "11"]);

        result.AssertSucceeded();
        Assert.Equal("ftjob-test-1", result.Output.Trim());
        Assert.Equal(["fine-tune", "fine-tune"], _server.FineTuning.Files.Select(f => f.Purpose));
        var body = Assert.Single(_server.Requests, r => r.Path == "/v1/fine_tuning/jobs").Json!;
        Assert.Equal("file-test-1", body["training_file"]!.GetValue<string>());
        Assert.Equal("file-test-2", body["validation_file"]!.GetValue<string>());
        Assert.Equal("shop", body["suffix"]!.GetValue<string>());
        Assert.Equal(11, body["seed"]!.GetValue<int>());
        var hyperparameters = body["method"]!["supervised"]!["hyperparameters"]!;
        Assert.Equal(4, hyperparameters["n_epochs"]!.GetValue<int>());
        Assert.Equal("auto", hyperparameters["batch_size"]!.GetValue<string>());
        Assert.Equal(0.3, hyperparameters["learning_rate_multiplier"]!.GetValue<double>());
        Assert.Contains("Uploaded train.jsonl as file-test-1", result.Error);
    }

    [Fact]
    public async Task Create_BaseModelNotServed_UploadsNothing()
    {
        var result = await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "all-MiniLM-L6-v3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("--model all-MiniLM-L6-v3:", result.Error);
        Assert.Contains("does not serve this model, so nothing was uploaded (it serves: test-model, all-MiniLM-L6-v2;", result.Error);
        Assert.Empty(_server.FineTuning.Files);
        Assert.DoesNotContain(_server.Requests, r => r.Path.StartsWith("/v1/files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateWait_SucceedingJob_FollowsEventsAndPrintsTheFineTunedModel()
    {
        var result = await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "all-MiniLM-L6-v2", "--suffix", "shop", "--wait", "--poll-interval", Poll]);

        result.AssertSucceeded();
        Assert.Equal(["ftjob-test-1", "ft:all-MiniLM-L6-v2:shop:ftjob-test-1"], result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var progress = result.Error;
        Assert.True(progress.IndexOf("Step 1/2", StringComparison.Ordinal) < progress.IndexOf("Step 2/2", StringComparison.Ordinal));
        Assert.Contains("ftjob-test-1 running", progress);
        Assert.Contains("ftjob-test-1 succeeded → ft:all-MiniLM-L6-v2:shop:ftjob-test-1", progress);
        Assert.Equal(1, CountOf(progress, "The job has successfully completed"));
        Assert.Contains($"Chat with it: parley chat --bot none --base-url {_server.BaseUrl}", progress);
    }

    [Fact]
    public async Task CreateWaitJson_PrintsOnlyTheFinalJob()
    {
        var result = await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "all-MiniLM-L6-v2", "--wait", "--json", "--poll-interval", Poll]);

        var job = result.Json();
        Assert.Equal("fine_tuning.job", job.GetProperty("object").GetString());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal("ft:all-MiniLM-L6-v2:test:ftjob-test-1", job.GetProperty("fine_tuned_model").GetString());
    }

    [Fact]
    public async Task CreateWait_FailedJob_ExitsWithFailureAndTheJobsError()
    {
        _server.FineTuning.Stages = FineTuningTestStage.Failing("train.jsonl:4: the assistant message is empty");

        var result = await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "all-MiniLM-L6-v2", "--wait", "--poll-interval", Poll]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("parley: fine-tuning job ftjob-test-1 failed: train.jsonl:4: the assistant message is empty", result.Error);
    }

    [Fact]
    public async Task Create_BrokenChatFile_NamesTheLineAndUploadsNothing()
    {
        var lines = Enumerable.Repeat(Good, 12).ToList();
        lines[4] = """{"messages":[{"role":"user","content":"hi"}]}""";
        var train = Write("train.jsonl", string.Join('\n', lines) + "\n");

        var result = await _cli.RunAsync(["finetune", "create", "--file", train, "--model", "all-MiniLM-L6-v2"]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"{train}:5:", result.Error);
        Assert.Contains("nothing was uploaded", result.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Create_IntentFile_IsUploadedWithoutChatChecks()
    {
        var train = Write("intents.jsonl", "{\"text\":\"hi\",\"label\":\"greet\"}\n{\"text\":\"bye\",\"label\":\"goodbye\"}\n");

        var result = await _cli.RunAsync(["finetune", "create", "--file", train, "--model", "all-MiniLM-L6-v2", "--json"]);

        result.AssertSucceeded();
        Assert.Equal("validating_files", result.Json().GetProperty("status").GetString());
        Assert.Equal(File.ReadAllText(train), Assert.Single(_server.FineTuning.Files).Content);
    }

    [Fact]
    public async Task Create_IntentFileWithoutLabel_NamesTheLine()
    {
        var train = Write("intents.jsonl", "{\"text\":\"hi\",\"label\":\"greet\"}\n{\"text\":\"bye\"}\n");

        var result = await _cli.RunAsync(["finetune", "create", "--file", train, "--model", "all-MiniLM-L6-v2"]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"{train}:2: ", result.Error);
        Assert.Contains("\"label\"", result.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Create_IntentFileWithIntentField_PassesTheLocalCheck()
    {
        var train = Write("intents.jsonl", "{\"text\":\"hi\",\"intent\":\"greet\"}\n{\"text\":\"bye\",\"intent\":\"goodbye\"}\n{\"text\":\"\",\"intent\":\"greet\"}\n");

        var result = await _cli.RunAsync(["finetune", "create", "--file", train, "--model", "all-MiniLM-L6-v2"]);

        // The third line is the only fault: the "intent" field of the first two is accepted, as the server accepts it.
        Assert.Contains($"{train}:3: \"text\" must be a non-empty string", result.Error);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--batch-size", "x")]
    [InlineData("--lr-multiplier", "-1")]
    public async Task Create_BadHyperparameter_IsAUsageError(string option, string value)
    {
        var result = await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "m", option, value]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(option, result.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task StatusJson_FailedJob_MirrorsOpenAIsJob()
    {
        _server.FineTuning.Stages = FineTuningTestStage.Failing("bad file");
        await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "all-MiniLM-L6-v2"]);

        var json = (await _cli.RunAsync(["finetune", "status", "ftjob-test-1", "--json"])).Json();
        var text = await _cli.RunAsync(["finetune", "status", "ftjob-test-1"]);

        Assert.Equal("failed", json.GetProperty("status").GetString());
        Assert.Equal("bad file", json.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("auto", json.GetProperty("hyperparameters").GetProperty("n_epochs").GetString());
        Assert.Contains("error: bad file (invalid_training_file)", text.Output);
    }

    [Fact]
    public async Task Status_UnknownJob_ShowsTheServersMessage()
    {
        var result = await _cli.RunAsync(["finetune", "status", "ftjob-nope"]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("HTTP 404 Not Found: No such fine-tuning job: ftjob-nope.", result.Error);
    }

    [Fact]
    public async Task Cancel_RunningJob_PrintsCancelled()
    {
        _server.FineTuning.Stages = FineTuningTestStage.Running();
        await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "all-MiniLM-L6-v2"]);

        var result = await _cli.RunAsync(["finetune", "cancel", "ftjob-test-1"]);

        result.AssertSucceeded();
        Assert.Equal("ftjob-test-1  cancelled", result.Output.Trim());
        Assert.Contains(_server.Requests, r => r.Method == "POST" && r.Path == "/v1/fine_tuning/jobs/ftjob-test-1/cancel");
    }

    [Fact]
    public async Task Events_LongerThanAPage_PrintsTheWholeLogOldestFirst()
    {
        var steps = Enumerable.Range(1, 130).Select(i => $"Step {i}/130: training loss=0.5").ToArray();
        _server.FineTuning.Stages = [new("validating_files", ["Validating training file"]), new("running", steps), new("succeeded", ["The job has successfully completed"])];
        Assert.Equal(0, (await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "all-MiniLM-L6-v2", "--wait", "--poll-interval", Poll])).ExitCode);

        var whole = await _cli.RunAsync(["finetune", "events", "ftjob-test-1"]);
        var newest = await _cli.RunAsync(["finetune", "events", "ftjob-test-1", "--limit", "3"]);

        whole.AssertSucceeded();
        var lines = whole.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(132, lines.Length);
        Assert.EndsWith("Validating training file", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("Step 1/130: training loss=0.5", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("The job has successfully completed", lines[^1], StringComparison.Ordinal);
        Assert.Equal(3, newest.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("--after", newest.Error);
    }

    [Fact]
    public async Task EventsFollowJson_CancelledJob_PrintsEachEventOnceAndExitsWithFailure()
    {
        _server.FineTuning.Stages = FineTuningTestStage.Running();
        await _cli.RunAsync(["finetune", "create", "--file", ChatFile(), "--model", "all-MiniLM-L6-v2"]);
        await _cli.RunAsync(["finetune", "cancel", "ftjob-test-1"]);

        var result = await _cli.RunAsync(["finetune", "events", "ftjob-test-1", "--follow", "--json", "--poll-interval", Poll]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        var messages = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString());
        Assert.Equal(["Validating training file", "Fine-tuning job started", "Job cancelled"], messages);
        Assert.Contains("was cancelled", result.Error);
    }

    [Fact]
    public async Task ListJson_LimitAndAfter_AreSentAndThePageMirrorsOpenAIsList()
    {
        var ids = _server.FineTuning.AddSucceededJobs(4);

        var result = await _cli.RunAsync(["finetune", "list", "--limit", "2", "--after", ids[3], "--json"]);

        var json = result.Json();
        Assert.Equal("list", json.GetProperty("object").GetString());
        Assert.Equal([ids[2], ids[1]], json.GetProperty("data").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        Assert.True(json.GetProperty("has_more").GetBoolean());
        Assert.Contains($"after={ids[3]}", _server.Requests[^1].Query);
        Assert.Contains("limit=2", _server.Requests[^1].Query);
    }

    [Fact]
    public async Task List_ApiKey_IsSentAsBearerAndARefusalShowsTheServersMessage()
    {
        _server.RequiredApiKey = "sk-right";

        var refused = await _cli.RunAsync(["finetune", "list", "--api-key", "sk-wrong"]);
        var allowed = await _cli.RunAsync(["finetune", "list", "--api-key", "sk-right"]);

        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Contains("HTTP 401 Unauthorized: Incorrect API key provided.", refused.Error);
        allowed.AssertSucceeded();
        Assert.Equal("Bearer sk-right", _server.Requests[^1].Header("Authorization"));
    }

    [Fact]
    public async Task List_UnreachableEndpoint_FailsAfterBoundedRetriesNamingTheUrl()
    {
        var url = $"http://127.0.0.1:{FreePort()}/v1";
        _cli.Environment["Parley__Retry__DeadlineSeconds"] = "2";
        _cli.Environment["Parley__Retry__MaxAttempts"] = "3";
        var clock = Stopwatch.StartNew();

        var result = await _cli.RunAsync(["finetune", "list", "--base-url", url]);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith($"parley: cannot reach the fine-tuning endpoint {url}", result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Endpoint_NothingConfigured_DefaultsToALocalParleyServer()
    {
        var endpoint = new FineTuneEndpointOptions();
        var command = new System.CommandLine.Command("finetune");
        endpoint.AddTo(command);
        _cli.Environment.Remove("OPENAI_BASE_URL");
        _cli.Environment["OPENAI_API_KEY"] = "sk-test";
        var context = new CliContext { In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, Environment = _cli.Environment, CurrentDirectory = _cli.Directory };

        var (settings, url) = endpoint.Resolve(command.Parse([]), context);

        Assert.Equal(new Uri("http://127.0.0.1:8080/v1"), url);
        Assert.Equal("sk-test", settings.OpenAI.ApiKey);
        Assert.Equal(FineTuningJobClientOptions.DefaultBaseUrl, url);
    }

    [Fact]
    public async Task EvalJson_TwoModels_GivesExactAccuraciesDifferingSampleAndReport()
    {
        (string Text, string Label)[] data = [("hello", "greet"), ("where is my parcel", "track_order"), ("refund <now>", "refund"), ("bye", "goodbye")];
        var test = Write("test.jsonl", string.Join('\n', data.Select(d => JsonSerializer.Serialize(new { text = d.Text, label = d.Label }))) + "\n");
        _server.Responder = request =>
        {
            var model = request.Json!["model"]!.GetValue<string>();
            var text = request.Json!["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
            var label = data.Single(d => d.Text == text).Label;
            return ServerStep.Reply(model == "base-model" ? (label is "greet" or "goodbye" ? label.ToUpperInvariant() : "unknown") : (label == "goodbye" ? "greet" : label));
        };
        var report = Path.Combine(_cli.Directory, "cmp");

        var result = await _cli.RunAsync(["finetune", "eval", "--base", "base-model", "--tuned", "ft:base-model:x:ftjob-1", "--data", test, "--report", report, "--json"]);

        result.AssertSucceeded();
        var json = result.Json();
        Assert.Equal(4, json.GetProperty("examples").GetInt32());
        Assert.Equal(0.5, json.GetProperty("base").GetProperty("accuracy").GetDouble());
        Assert.Equal(0.75, json.GetProperty("tuned").GetProperty("accuracy").GetDouble());
        Assert.Equal(3, json.GetProperty("differing").GetInt32());
        Assert.Equal([2, 3, 4], json.GetProperty("sample").EnumerateArray().Select(s => s.GetProperty("line").GetInt32()));
        Assert.Equal(8, _server.ChatRequests.Count);
        var html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.Contains("50.0%", html);
        Assert.Contains("75.0%", html);
        Assert.Contains("refund &lt;now&gt;", html);
        Assert.True(File.Exists(Path.Combine(report, "results.json")));
    }

    [Fact]
    public async Task Eval_BadTestData_NamesTheLine()
    {
        var test = Write("test.jsonl", "{\"text\":\"hi\",\"label\":\"greet\"}\n{oops\n");

        var result = await _cli.RunAsync(["finetune", "eval", "--base", "a", "--tuned", "b", "--data", test]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"{test}:2: not JSON", result.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task DataValidateHelp_ShowsOneFormatOption()
    {
        var result = await _cli.RunAsync(["data", "validate", "--help"]);

        Assert.Equal(1, CountOf(result.Output, "--format"));
        Assert.Contains("--format <openai-chat>", result.Output);
        Assert.DoesNotContain("--text-column", result.Output);
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
