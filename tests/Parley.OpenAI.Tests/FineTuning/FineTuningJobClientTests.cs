using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Parley.OpenAI.FineTuning;
using Parley.Testing;

namespace Parley.OpenAI.Tests.FineTuning;

/// <summary><see cref="FineTuningJobClient"/> (the real OpenAI SDK) against the scripted fine-tuning API of <see cref="OpenAITestServer"/>.</summary>
public sealed class FineTuningJobClientTests : IAsyncLifetime, IDisposable
{
    private const string Chat = """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""";
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-ft-").FullName;
    private OpenAITestServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAITestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private FineTuningJobClient Client(Action<FineTuningJobClientOptions>? configure = null)
    {
        var options = new FineTuningJobClientOptions { BaseUrl = _server.BaseUrl, PollInterval = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return new FineTuningJobClient(options);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<FineTuningJobInfo> CreateAsync(FineTuningJobClient client)
    {
        var file = await client.UploadFileAsync(Write("train.jsonl", Chat + "\n"));
        return await client.CreateJobAsync(new FineTuningJobRequest { TrainingFileId = file.Id, Model = "all-MiniLM-L6-v2" });
    }

    [Fact]
    public async Task UploadFileAsync_SendsMultipartWithPurposeFineTune()
    {
        var path = Write("train.jsonl", Chat + "\n" + Chat + "\n");

        var file = await Client().UploadFileAsync(path);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/files", request.Path);
        Assert.StartsWith("multipart/form-data; boundary=", request.Header("Content-Type"));
        var uploaded = Assert.Single(_server.FineTuning.Files);
        Assert.Equal("fine-tune", uploaded.Purpose);
        Assert.Equal("train.jsonl", uploaded.Filename);
        Assert.Equal(File.ReadAllText(path), uploaded.Content);
        Assert.Equal(uploaded.Id, file.Id);
        Assert.Equal(new FileInfo(path).Length, file.Bytes);
        Assert.Equal("fine-tune", file.Purpose);
    }

    [Fact]
    public async Task CreateJobAsync_WithHyperparameters_SendsThemAsSupervisedMethod()
    {
        var client = Client();
        var training = await client.UploadFileAsync(Write("train.jsonl", Chat));
        var validation = await client.UploadFileAsync(Write("val.jsonl", Chat));

        var job = await client.CreateJobAsync(new FineTuningJobRequest
        {
            TrainingFileId = training.Id,
            ValidationFileId = validation.Id,
            Model = "all-MiniLM-L6-v2",
            Suffix = "shop",
            Epochs = 3,
            BatchSize = 8,
            LearningRateMultiplier = 0.5,
            Seed = 7,
        });

        var body = Assert.Single(_server.Requests, r => r.Path == "/v1/fine_tuning/jobs").Json!;
        Assert.Equal("all-MiniLM-L6-v2", body["model"]!.GetValue<string>());
        Assert.Equal(training.Id, body["training_file"]!.GetValue<string>());
        Assert.Equal(validation.Id, body["validation_file"]!.GetValue<string>());
        Assert.Equal("shop", body["suffix"]!.GetValue<string>());
        Assert.Equal(7, body["seed"]!.GetValue<int>());
        Assert.Equal("supervised", body["method"]!["type"]!.GetValue<string>());
        var hyperparameters = body["method"]!["supervised"]!["hyperparameters"]!;
        Assert.Equal(3, hyperparameters["n_epochs"]!.GetValue<int>());
        Assert.Equal(8, hyperparameters["batch_size"]!.GetValue<int>());
        Assert.Equal(0.5, hyperparameters["learning_rate_multiplier"]!.GetValue<double>());
        Assert.Equal("ftjob-test-1", job.Id);
        Assert.Equal("validating_files", job.Status);
        Assert.Equal(3, job.Epochs!.GetValue<int>());
        Assert.Equal(validation.Id, job.ValidationFile);
    }

    [Fact]
    public async Task CreateJobAsync_AllAuto_SendsNoMethod()
    {
        await CreateAsync(Client());

        var body = Assert.Single(_server.Requests, r => r.Path == "/v1/fine_tuning/jobs").Json!.AsObject();
        Assert.False(body.ContainsKey("method"));
        Assert.False(body.ContainsKey("hyperparameters"));
    }

    [Fact]
    public async Task FollowAsync_SucceedingJob_ReportsEveryEventOnceInOrderThenTheFineTunedModel()
    {
        var client = Client();
        var created = await CreateAsync(client);

        var progress = await client.FollowAsync(created.Id).ToListAsync();

        var events = progress.SelectMany(p => p.NewEvents).Select(e => e.Message).ToList();
        Assert.Equal(
            ["Validating training file", "Files validated, moving job to queued state", "Fine-tuning job started", "Step 1/2: training loss=0.90", "Step 2/2: training loss=0.20", "New fine-tuned model created", "The job has successfully completed"],
            events);
        Assert.Equal(["queued", "running", "succeeded"], progress.Where(p => p.StatusChanged).Select(p => p.Job.Status));
        var last = progress[^1].Job;
        Assert.True(last.IsTerminal);
        Assert.Equal($"ft:all-MiniLM-L6-v2:test:{created.Id}", last.FineTunedModel);
        Assert.Equal(1234, last.TrainedTokens);
    }

    [Fact]
    public async Task FollowAsync_FailedJob_EndsWithTheJobsError()
    {
        _server.FineTuning.Stages = FineTuningTestStage.Failing("train.jsonl line 3: no assistant message");
        var client = Client();
        var created = await CreateAsync(client);

        var last = (await client.FollowAsync(created.Id).ToListAsync())[^1];

        Assert.Equal("failed", last.Job.Status);
        Assert.Equal("train.jsonl line 3: no assistant message", last.Job.Error!.Message);
        Assert.Equal("invalid_training_file", last.Job.Error.Code);
        Assert.Contains(last.NewEvents, e => e.Level == "error");
    }

    [Fact]
    public async Task CancelJobAsync_RunningJob_ReturnsCancelled()
    {
        _server.FineTuning.Stages = FineTuningTestStage.Running();
        var client = Client();
        var created = await CreateAsync(client);

        var cancelled = await client.CancelJobAsync(created.Id);

        Assert.Equal("cancelled", cancelled.Status);
        Assert.Single(_server.Requests, r => r.Method == "POST" && r.Path == $"/v1/fine_tuning/jobs/{created.Id}/cancel");
        Assert.Equal("cancelled", (await client.GetJobAsync(created.Id)).Status);
    }

    [Fact]
    public async Task CancelJobAsync_FinishedJob_FailsWithTheServersMessage()
    {
        var id = _server.FineTuning.AddSucceededJobs(1)[0];

        var error = await Assert.ThrowsAsync<FineTuningException>(() => Client().CancelJobAsync(id));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains($"Job {id} has already completed.", error.Message);
        Assert.Contains(_server.BaseUrl.ToString(), error.Message);
    }

    [Fact]
    public async Task GetJobAsync_UnknownJob_FailsWith404AndTheServersMessageWithoutRetrying()
    {
        var error = await Assert.ThrowsAsync<FineTuningException>(() => Client().GetJobAsync("ftjob-nope"));

        Assert.Equal(404, error.StatusCode);
        Assert.Contains("No such fine-tuning job: ftjob-nope.", error.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task ListJobsAsync_AfterAndLimit_AreSentAndPagedNewestFirst()
    {
        var ids = _server.FineTuning.AddSucceededJobs(5);

        var page = await Client().ListJobsAsync(after: ids[3], limit: 2);

        Assert.Equal([ids[2], ids[1]], page.Data.Select(j => j.Id));
        Assert.True(page.HasMore);
        var query = Assert.Single(_server.Requests).Query;
        Assert.Contains($"after={ids[3]}", query);
        Assert.Contains("limit=2", query);
        var last = await Client().ListJobsAsync(after: ids[1], limit: 2);
        Assert.Equal([ids[0]], last.Data.Select(j => j.Id));
        Assert.False(last.HasMore);
    }

    [Fact]
    public async Task ListEventsAsync_Limit_ReturnsNewestFirstWithHasMore()
    {
        var client = Client();
        var created = await CreateAsync(client);
        await client.GetJobAsync(created.Id);

        // Listing reads the job first (a third stage): validating, queued, running with two events.
        var page = await client.ListEventsAsync(created.Id, limit: 2);

        Assert.Equal(["Step 1/2: training loss=0.90", "Fine-tuning job started"], page.Data.Select(e => e.Message));
        Assert.True(page.HasMore);
        Assert.Contains("limit=2", _server.Requests[^1].Query);
        var json = page.ToJson(e => e.ToJson());
        Assert.Equal("list", json["object"]!.GetValue<string>());
        Assert.Equal("fine_tuning.job.event", json["data"]![0]!["object"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetJobAsync_ServerErrorsThenSuccess_IsRetried()
    {
        var client = Client(o => o.InitialRetryDelay = TimeSpan.FromMilliseconds(10));
        var created = await CreateAsync(client);
        _server.FineTuning.FailNext(2, 503);

        var job = await client.GetJobAsync(created.Id);

        Assert.Equal(created.Id, job.Id);
        Assert.Equal(3, _server.Requests.Count(r => r.Path == $"/v1/fine_tuning/jobs/{created.Id}"));
    }

    [Fact]
    public async Task GetJobAsync_ServerKeepsFailing_GivesUpAfterMaxAttemptsWithTheStatus()
    {
        var client = Client(o => (o.MaxAttempts, o.InitialRetryDelay) = (3, TimeSpan.FromMilliseconds(10)));
        _server.FineTuning.FailNext(10, 500);

        var error = await Assert.ThrowsAsync<FineTuningException>(() => client.GetJobAsync("ftjob-x"));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Contains("reading job ftjob-x at ", error.Message);
        Assert.Contains("failed after 3 attempts", error.Message);
        Assert.Contains("The server had an error while processing your request.", error.Message);
    }

    [Fact]
    public async Task CreateJobAsync_ServerError_IsNotRetriedBecauseTheJobMayExist()
    {
        var client = Client(o => o.InitialRetryDelay = TimeSpan.FromMilliseconds(10));
        var file = await client.UploadFileAsync(Write("train.jsonl", Chat));
        _server.FineTuning.FailNext(1, 500);

        var error = await Assert.ThrowsAsync<FineTuningException>(() => client.CreateJobAsync(new FineTuningJobRequest { TrainingFileId = file.Id, Model = "m" }));

        Assert.Equal(500, error.StatusCode);
        Assert.Single(_server.Requests, r => r.Path == "/v1/fine_tuning/jobs");
    }

    [Fact]
    public async Task CreateJobAsync_RateLimited_IsRetried()
    {
        var client = Client(o => o.InitialRetryDelay = TimeSpan.FromMilliseconds(10));
        var file = await client.UploadFileAsync(Write("train.jsonl", Chat));
        _server.FineTuning.FailNext(1, 429);

        var job = await client.CreateJobAsync(new FineTuningJobRequest { TrainingFileId = file.Id, Model = "m" });

        Assert.Equal("ftjob-test-1", job.Id);
        Assert.Equal(2, _server.Requests.Count(r => r.Path == "/v1/fine_tuning/jobs"));
    }

    [Fact]
    public async Task AnyRequest_UnreachableEndpoint_FailsWithinTheDeadlineNamingTheUrl()
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}/v1");
        var client = new FineTuningJobClient(new FineTuningJobClientOptions
        {
            BaseUrl = url,
            MaxAttempts = 3,
            Deadline = TimeSpan.FromSeconds(3),
            InitialRetryDelay = TimeSpan.FromMilliseconds(50),
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<FineTuningException>(() => client.ListJobsAsync());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Null(error.StatusCode);
        Assert.StartsWith($"cannot reach the fine-tuning endpoint {url} (3 attempts in ", error.Message);
        Assert.Contains("parley serve", error.Message);
    }

    [Fact]
    public async Task UploadFileAsync_UnreachableEndpoint_IsRetriedBecauseNothingWasSent()
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}/v1");
        var client = new FineTuningJobClient(new FineTuningJobClientOptions { BaseUrl = url, MaxAttempts = 2, InitialRetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<FineTuningException>(() => client.UploadFileAsync(Write("t.jsonl", Chat)));

        Assert.Contains("(2 attempts in ", error.Message);
    }

    [Fact]
    public void Job_ToJson_HasOpenAIsSnakeCaseShape()
    {
        var job = new FineTuningJobInfo
        {
            Id = "ftjob-1",
            Status = "failed",
            Model = "m",
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(100),
            Epochs = JsonValue.Create("auto"),
            Error = new FineTuningJobError("bad_file", "line 2: not JSON", null),
        };

        var json = job.ToJson().ToJsonString();

        Assert.Equal(
            """{"id":"ftjob-1","object":"fine_tuning.job","model":"m","status":"failed","fine_tuned_model":null,"created_at":100,"finished_at":null,"training_file":null,"validation_file":null,"hyperparameters":{"n_epochs":"auto","batch_size":null,"learning_rate_multiplier":null},"trained_tokens":null,"seed":null,"error":{"code":"bad_file","message":"line 2: not JSON","param":null}}""",
            json);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
