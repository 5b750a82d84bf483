using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Parley.Testing;

/// <summary>
/// OpenAI's files and fine-tuning endpoints on <see cref="OpenAITestServer"/>, scripted: uploads are kept, and every job
/// goes through <see cref="Stages"/>, one stage per read of the job, with OpenAI's object shapes, paging and errors.
/// </summary>
public sealed class FineTuningTestApi
{
    private readonly object _gate = new();
    private readonly List<UploadedTestFile> _files = [];
    private readonly List<Job> _jobs = [];
    private readonly TimeProvider _timeProvider;
    private int _failures;
    private int _failureStatus;

    internal FineTuningTestApi(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    /// <summary>The stages new jobs go through. Default <see cref="FineTuningTestStage.Succeeding"/>.</summary>
    public IReadOnlyList<FineTuningTestStage> Stages { get; set; } = FineTuningTestStage.Succeeding();

    /// <summary>The files uploaded so far.</summary>
    public IReadOnlyList<UploadedTestFile> Files
    {
        get
        {
            lock (_gate)
            {
                return [.. _files];
            }
        }
    }

    /// <summary>The jobs as they are now (OpenAI's <c>fine_tuning.job</c> JSON), oldest first.</summary>
    public IReadOnlyList<JsonObject> Jobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Select(j => j.Json())];
            }
        }
    }

    /// <summary>Adds <paramref name="count"/> finished jobs directly, for list tests; returns their ids, oldest first.</summary>
    public IReadOnlyList<string> AddSucceededJobs(int count, string model = "all-MiniLM-L6-v2")
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var job = AddJob(new JsonObject { ["model"] = model, ["training_file"] = "file-seeded" }, [new FineTuningTestStage("succeeded", ["The job has successfully completed"])]);
            ids.Add(job.Id);
        }

        return ids;
    }

    /// <summary>Makes the next <paramref name="count"/> files or fine-tuning requests fail with <paramref name="statusCode"/> (and an OpenAI error body).</summary>
    public void FailNext(int count, int statusCode)
    {
        lock (_gate)
        {
            (_failures, _failureStatus) = (count, statusCode);
        }
    }

    internal void Map(WebApplication app)
    {
        app.MapPost("/v1/files", Failable(UploadAsync));
        app.MapPost("/v1/fine_tuning/jobs", Failable(CreateAsync));
        app.MapGet("/v1/fine_tuning/jobs", Failable(ListAsync));
        app.MapGet("/v1/fine_tuning/jobs/{id}", Failable(GetAsync));
        app.MapGet("/v1/fine_tuning/jobs/{id}/events", Failable(EventsAsync));
        app.MapPost("/v1/fine_tuning/jobs/{id}/cancel", Failable(CancelAsync));
    }

    private RequestDelegate Failable(RequestDelegate handler) => async context =>
    {
        int status;
        lock (_gate)
        {
            status = _failures > 0 ? _failureStatus : 0;
            _failures = Math.Max(0, _failures - 1);
        }

        await (status == 0 ? handler(context) : WriteAsync(context, OpenAIWire.Error(status, null), status)).ConfigureAwait(false);
    };

    private static RecordedHttpRequest Recorded(HttpContext context) => (RecordedHttpRequest)context.Items[typeof(RecordedHttpRequest)]!;

    private async Task UploadAsync(HttpContext context)
    {
        var request = Recorded(context);
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            await WriteAsync(context, OpenAIWire.Error(400, "Expected multipart/form-data."), 400).ConfigureAwait(false);
            return;
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(Encoding.UTF8.GetBytes(request.Body)));
        string? purpose = null, filename = null, content = null;
        while (await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            var text = await new StreamReader(section.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            switch (HeaderUtilities.RemoveQuotes(disposition.Name).Value)
            {
                case "purpose":
                    purpose = text;
                    break;
                case "file":
                    filename = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    content = text;
                    break;
            }
        }

        if (purpose is null || content is null)
        {
            await WriteAsync(context, OpenAIWire.Error(400, "Missing 'purpose' or 'file'."), 400).ConfigureAwait(false);
            return;
        }

        UploadedTestFile file;
        lock (_gate)
        {
            file = new UploadedTestFile($"file-test-{_files.Count + 1}", filename ?? "upload", purpose, content);
            _files.Add(file);
        }

        await WriteAsync(context, new JsonObject
        {
            ["id"] = file.Id,
            ["object"] = "file",
            ["bytes"] = Encoding.UTF8.GetByteCount(content),
            ["created_at"] = _timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            ["filename"] = file.Filename,
            ["purpose"] = file.Purpose,
            ["status"] = "processed",
            ["status_details"] = null,
        }, 200).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var body = Recorded(context).Json as JsonObject ?? [];
        if (body["model"] is null || body["training_file"] is null)
        {
            await WriteAsync(context, OpenAIWire.Error(400, "Missing required parameter: 'model' or 'training_file'."), 400).ConfigureAwait(false);
            return;
        }

        var trainingFile = body["training_file"]!.GetValue<string>();
        if (Files.All(f => f.Id != trainingFile))
        {
            await WriteAsync(context, OpenAIWire.Error(400, $"Invalid file ID: {trainingFile}."), 400).ConfigureAwait(false);
            return;
        }

        var job = AddJob(body, Stages);
        await WriteAsync(context, job.Json(), 200).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } job)
        {
            return;
        }

        JsonObject json;
        lock (_gate)
        {
            job.Advance();
            json = job.Json();
        }

        await WriteAsync(context, json, 200).ConfigureAwait(false);
    }

    private async Task CancelAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } job)
        {
            return;
        }

        JsonObject json;
        int status;
        lock (_gate)
        {
            if (job.Stage.Status is "succeeded" or "failed" or "cancelled")
            {
                (json, status) = (OpenAIWire.Error(400, $"Job {job.Id} has already completed."), 400);
            }
            else
            {
                job.Cancel();
                (json, status) = (job.Json(), 200);
            }
        }

        await WriteAsync(context, json, status).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context)
    {
        List<JsonObject> all;
        lock (_gate)
        {
            all = [.. _jobs.AsEnumerable().Reverse().Select(j => j.Json())];
        }

        await WritePageAsync(context, all).ConfigureAwait(false);
    }

    private async Task EventsAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } job)
        {
            return;
        }

        List<JsonObject> all;
        lock (_gate)
        {
            all = [.. job.Events.AsEnumerable().Reverse().Select(e => (JsonObject)e.DeepClone())];
        }

        await WritePageAsync(context, all).ConfigureAwait(false);
    }

    /// <summary>A newest-first page: items after the <c>after</c> id, at most <c>limit</c> (default 20).</summary>
    private static async Task WritePageAsync(HttpContext context, List<JsonObject> newestFirst)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 20;
        var start = 0;
        if (query["after"].ToString() is { Length: > 0 } after)
        {
            start = newestFirst.FindIndex(item => item["id"]!.GetValue<string>() == after) + 1;
        }

        var page = newestFirst.Skip(start).Take(limit).ToList();
        await WriteAsync(context, new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. page]),
            ["has_more"] = start + page.Count < newestFirst.Count,
        }, 200).ConfigureAwait(false);
    }

    private async Task<Job?> FindAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string;
        lock (_gate)
        {
            if (_jobs.FirstOrDefault(j => j.Id == id) is { } job)
            {
                return job;
            }
        }

        await WriteAsync(context, OpenAIWire.Error(404, $"No such fine-tuning job: {id}."), 404).ConfigureAwait(false);
        return null;
    }

    private Job AddJob(JsonObject body, IReadOnlyList<FineTuningTestStage> stages)
    {
        lock (_gate)
        {
            var job = new Job(this, $"ftjob-test-{_jobs.Count + 1}", (JsonObject)body.DeepClone(), stages, _timeProvider.GetUtcNow().ToUnixTimeSeconds() + _jobs.Count);
            _jobs.Add(job);
            return job;
        }
    }

    private static async Task WriteAsync(HttpContext context, JsonObject json, int statusCode)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private sealed class Job
    {
        private readonly FineTuningTestApi _api;
        private readonly JsonObject _request;
        private readonly IReadOnlyList<FineTuningTestStage> _stages;
        private readonly long _createdAt;
        private int _stage;
        private bool _cancelled;
        private long? _finishedAt;

        public Job(FineTuningTestApi api, string id, JsonObject request, IReadOnlyList<FineTuningTestStage> stages, long createdAt)
        {
            _api = api;
            Id = id;
            _request = request;
            _stages = stages;
            _createdAt = createdAt;
            AddEvents(_stages[0]);
        }

        public string Id { get; }

        public List<JsonObject> Events { get; } = [];

        public FineTuningTestStage Stage => _cancelled ? new FineTuningTestStage("cancelled", []) : _stages[_stage];

        public void Advance()
        {
            if (!_cancelled && _stage < _stages.Count - 1)
            {
                _stage++;
                AddEvents(_stages[_stage]);
            }
        }

        public void Cancel()
        {
            _cancelled = true;
            AddEvent("info", "Job cancelled");
            _finishedAt = Now();
        }

        public JsonObject Json()
        {
            var stage = Stage;
            var model = _request["model"]?.GetValue<string>();
            var suffix = _request["suffix"]?.GetValue<string>();
            var hyperparameters = (_request["method"]?["supervised"]?["hyperparameters"] ?? _request["hyperparameters"])?.DeepClone() as JsonObject
                ?? new JsonObject { ["n_epochs"] = "auto", ["batch_size"] = "auto", ["learning_rate_multiplier"] = "auto" };
            return new JsonObject
            {
                ["object"] = "fine_tuning.job",
                ["id"] = Id,
                ["model"] = model,
                ["created_at"] = _createdAt,
                ["finished_at"] = stage.Status is "succeeded" or "failed" or "cancelled" ? _finishedAt ??= Now() : null,
                ["fine_tuned_model"] = stage.Status == "succeeded" ? $"ft:{model}:{suffix ?? "test"}:{Id}" : null,
                ["organization_id"] = "org-test",
                ["result_files"] = new JsonArray(),
                ["status"] = stage.Status,
                ["validation_file"] = _request["validation_file"]?.DeepClone(),
                ["training_file"] = _request["training_file"]?.DeepClone(),
                ["hyperparameters"] = hyperparameters.DeepClone(),
                ["method"] = new JsonObject { ["type"] = "supervised", ["supervised"] = new JsonObject { ["hyperparameters"] = hyperparameters } },
                ["trained_tokens"] = stage.Status == "succeeded" ? 1234 : null,
                ["error"] = stage.ErrorMessage is { } message ? new JsonObject { ["code"] = "invalid_training_file", ["message"] = message, ["param"] = "training_file" } : null,
                ["user_provided_suffix"] = suffix,
                ["seed"] = _request["seed"]?.DeepClone() ?? 42,
                ["estimated_finish"] = null,
                ["integrations"] = new JsonArray(),
                ["metadata"] = null,
            };
        }

        private long Now() => _api._timeProvider.GetUtcNow().ToUnixTimeSeconds();

        private void AddEvents(FineTuningTestStage stage)
        {
            foreach (var message in stage.Events)
            {
                AddEvent(stage.Status == "failed" ? "error" : "info", message);
            }
        }

        private void AddEvent(string level, string message) => Events.Add(new JsonObject
        {
            ["object"] = "fine_tuning.job.event",
            ["id"] = $"ftevent-{Id}-{Events.Count + 1}",
            ["created_at"] = Now(),
            ["level"] = level,
            ["message"] = message,
            ["type"] = "message",
            ["data"] = null,
        });
    }
}
