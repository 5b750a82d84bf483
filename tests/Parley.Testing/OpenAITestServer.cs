using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Parley.Testing;

/// <summary>
/// An in-process OpenAI-compatible HTTP server on 127.0.0.1 (Kestrel, a free port) for tests of real clients:
/// <c>POST /v1/chat/completions</c> (JSON or SSE stream), <c>GET /v1/models</c>, <c>POST /v1/embeddings</c>, and the
/// scripted files and fine-tuning endpoints of <see cref="FineTuning"/>.
/// </summary>
/// <remarks>
/// Each chat-completion request takes the next <see cref="ServerStep"/> from the queue (<see cref="Enqueue"/>);
/// with an empty queue it asks <see cref="Responder"/>, else replies "echo: &lt;last user message&gt;". Every request
/// is recorded in <see cref="Requests"/> before it is answered, so a test can count attempts and read what was sent.
/// </remarks>
public sealed class OpenAITestServer : IAsyncDisposable
{
    /// <summary>The model the server reports when a request names none, and lists under <c>/v1/models</c>.</summary>
    public const string DefaultModel = "test-model";

    private readonly ConcurrentQueue<ServerStep> _steps = new();
    private readonly List<RecordedHttpRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _timeProvider;
    private WebApplication? _app;
    private int _completionIds;

    private OpenAITestServer(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        FineTuning = new FineTuningTestApi(timeProvider);
    }

    /// <summary>The scripted files and fine-tuning endpoints (<c>/v1/files</c>, <c>/v1/fine_tuning/jobs…</c>).</summary>
    public FineTuningTestApi FineTuning { get; }

    /// <summary>
    /// Answers chat-completion requests when the step queue is empty: returns the step for a request (e.g. a reply that
    /// depends on its model), or <see langword="null"/> to echo. Default none: echo.
    /// </summary>
    public Func<RecordedHttpRequest, ServerStep?>? Responder { get; set; }

    /// <summary>The API base address, e.g. <c>http://127.0.0.1:41234/v1</c> (what OPENAI_BASE_URL should be).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>When set, requests without <c>Authorization: Bearer &lt;key&gt;</c> get 401. Default none: no auth.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>The length of the fake embedding vectors when a request does not ask for <c>dimensions</c>. Default 8.</summary>
    public int EmbeddingDimensions { get; set; } = 8;

    /// <summary>The model ids <c>GET /v1/models</c> lists.</summary>
    public IReadOnlyList<string> Models { get; set; } = [DefaultModel];

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedHttpRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The <c>POST /v1/chat/completions</c> requests received so far: one per attempt.</summary>
    public IReadOnlyList<RecordedHttpRequest> ChatRequests => [.. Requests.Where(r => r.Path == "/v1/chat/completions")];

    /// <summary>How many queued steps have not been used yet.</summary>
    public int PendingSteps => _steps.Count;

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    /// <param name="timeProvider">The clock for <c>created</c> fields and <see cref="RecordedHttpRequest.ReceivedAt"/>; default system.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<OpenAITestServer> StartAsync(TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var server = new OpenAITestServer(timeProvider ?? TimeProvider.System);
        var (app, address) = await LoopbackHost.StartAsync(app =>
        {
            app.Use(server.RecordAsync);
            app.MapPost("/v1/chat/completions", (RequestDelegate)server.ChatCompletionsAsync);
            app.MapPost("/v1/embeddings", (RequestDelegate)server.EmbeddingsAsync);
            app.MapGet("/v1/models", (RequestDelegate)server.ModelsAsync);
            server.FineTuning.Map(app);
        }, cancellationToken).ConfigureAwait(false);
        server._app = app;
        server.BaseUrl = new Uri(address + "/v1");
        return server;
    }

    /// <summary>Queues what the next chat-completion requests get, one step per request, in order.</summary>
    public void Enqueue(params ServerStep[] steps)
    {
        foreach (var step in steps)
        {
            ArgumentNullException.ThrowIfNull(step);
            _steps.Enqueue(step);
        }
    }

    /// <summary>Stops the server; requests still waiting in a <see cref="ServerStep.Delay"/> are aborted.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await LoopbackHost.StopAsync(_app).ConfigureAwait(false);

        _stopping.Dispose();
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedHttpRequest(context.Request.Method, context.Request.Path.Value ?? "/", body, headers, _timeProvider.GetUtcNow())
        {
            Query = context.Request.QueryString.Value ?? string.Empty,
        };
        lock (_requests)
        {
            _requests.Add(request);
        }

        context.Items[typeof(RecordedHttpRequest)] = request;
        if (RequiredApiKey is { } key && request.Header("Authorization") != "Bearer " + key)
        {
            await WriteJsonAsync(context, OpenAIWire.Error(401, null), 401).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task ChatCompletionsAsync(HttpContext context)
    {
        var recorded = (RecordedHttpRequest)context.Items[typeof(RecordedHttpRequest)]!;
        var body = recorded.Json;
        var step = _steps.TryDequeue(out var next) ? next : Responder?.Invoke(recorded) ?? ServerStep.Echo();
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        while (step.Kind == ServerStepKind.Delay)
        {
            if (!await WaitAsync(step.Wait, aborted.Token).ConfigureAwait(false))
            {
                context.Abort();
                return;
            }

            step = step.Then ?? ServerStep.Echo();
        }

        if (step.Kind == ServerStepKind.Status)
        {
            if (step.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (step.RetryAfterMilliseconds is { } milliseconds)
            {
                context.Response.Headers["retry-after-ms"] = milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await WriteJsonAsync(context, OpenAIWire.Error(step.StatusCode, step.ErrorMessage), step.StatusCode).ConfigureAwait(false);
            return;
        }

        if (step.Kind is ServerStepKind.RawStatus or ServerStepKind.EchoKeyError)
        {
            await WriteFaultAsync(context, step, recorded).ConfigureAwait(false);
            return;
        }

        var messages = body?["messages"]?.AsArray() ?? [];
        var model = body?["model"]?.GetValue<string>() ?? DefaultModel;
        var stream = body?["stream"]?.GetValue<bool>() ?? false;
        var includeUsage = body?["stream_options"]?["include_usage"]?.GetValue<bool>() ?? false;
        var promptTokens = messages.Sum(m => OpenAIWire.Words(OpenAIWire.ContentText(m?["content"])).Count);
        var toolCall = step.Kind == ServerStepKind.ToolCall ? step : null;
        var text = step.Kind switch
        {
            ServerStepKind.Echo => "echo: " + OpenAIWire.ContentText(messages.LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"]),
            ServerStepKind.ToolCall => null,
            _ => step.Text,
        };
        var id = $"chatcmpl-test-{Interlocked.Increment(ref _completionIds)}";
        var created = _timeProvider.GetUtcNow().ToUnixTimeSeconds();

        if (!stream)
        {
            var completion = OpenAIWire.Completion(id, created, model, text, toolCall, promptTokens);
            if (step.Kind == ServerStepKind.Cut)
            {
                var json = completion.ToJsonString();
                await CutAsync(context, "application/json", json[..(json.Length / 2)], step.CutWhen, aborted.Token).ConfigureAwait(false);
                return;
            }

            await WriteJsonAsync(context, completion, 200).ConfigureAwait(false);
            return;
        }

        if (step.Kind is ServerStepKind.Stall or ServerStepKind.Endless)
        {
            await StreamForeverAsync(context, step, id, created, model, aborted.Token).ConfigureAwait(false);
            return;
        }

        var chunks = OpenAIWire.Chunks(id, created, model, text, toolCall, promptTokens, includeUsage);
        var events = chunks.Select(chunk => $"data: {chunk.ToJsonString()}\n\n");
        if (step.Kind == ServerStepKind.Cut)
        {
            await CutAsync(context, "text/event-stream", string.Concat(events.Take(step.Chunks)), step.CutWhen, aborted.Token).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var first = true;
        foreach (var sse in events.Append("data: [DONE]\n\n"))
        {
            if (!first && step.ChunkDelay > TimeSpan.Zero && !await WaitAsync(step.ChunkDelay, aborted.Token).ConfigureAwait(false))
            {
                context.Abort();
                return;
            }

            first = false;
            await context.Response.WriteAsync(sse, context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        var body = ((RecordedHttpRequest)context.Items[typeof(RecordedHttpRequest)]!).Json;
        var inputs = body?["input"] switch
        {
            JsonArray array => array.Select(item => item?.GetValue<string>() ?? string.Empty).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => new List<string>(),
        };
        var dimensions = body?["dimensions"]?.GetValue<int>() ?? EmbeddingDimensions;
        var base64 = body?["encoding_format"]?.GetValue<string>() == "base64";
        var model = body?["model"]?.GetValue<string>() ?? DefaultModel;
        await WriteJsonAsync(context, OpenAIWire.Embeddings(model, inputs, dimensions, base64), 200).ConfigureAwait(false);
    }

    private async Task ModelsAsync(HttpContext context)
    {
        var created = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var data = new JsonArray([.. Models.Select(id => (JsonNode?)new JsonObject
        {
            ["id"] = id,
            ["object"] = "model",
            ["created"] = created,
            ["owned_by"] = "parley-test",
        })]);
        await WriteJsonAsync(context, new JsonObject { ["object"] = "list", ["data"] = data }, 200).ConfigureAwait(false);
    }

    private static async Task WriteFaultAsync(HttpContext context, ServerStep step, RecordedHttpRequest request)
    {
        if (step.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (step.Kind == ServerStepKind.EchoKeyError)
        {
            var key = request.Header("Authorization")?.Replace("Bearer ", string.Empty, StringComparison.Ordinal) ?? "(none)";
            await WriteJsonAsync(context, OpenAIWire.Error(step.StatusCode, $"Incorrect API key provided: {key}. You can find your API key at https://platform.openai.com/account/api-keys."), step.StatusCode).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = step.StatusCode;
        context.Response.ContentType = step.ContentType;
        await context.Response.WriteAsync(step.Text ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A stream that stalls after some chunks, or never stops sending them; it ends only when the client leaves or the server stops.</summary>
    private async Task StreamForeverAsync(HttpContext context, ServerStep step, string id, long created, string model, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var words = OpenAIWire.Chunks(id, created, model, step.Text ?? ServerStep.DefaultText, null, 0, includeUsage: false).Take(step.Chunks);
        try
        {
            foreach (var chunk in step.Kind == ServerStepKind.Stall ? words : Forever(id, created, model))
            {
                if (step.Kind == ServerStepKind.Endless && !await WaitAsync(step.ChunkDelay, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        context.Abort();
    }

    private static IEnumerable<JsonObject> Forever(string id, long created, string model)
    {
        yield return OpenAIWire.Chunks(id, created, model, string.Empty, null, 0, includeUsage: false)[0];
        for (var i = 0; ; i++)
        {
            yield return OpenAIWire.Chunks(id, created, model, i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", null, 0, includeUsage: false).ElementAt(1);
        }
    }

    /// <summary>Waits, or returns false when the client went away or the server is stopping.</summary>
    private async Task<bool> WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonObject json, int statusCode)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task CutAsync(HttpContext context, string contentType, string partialBody, Task? cutWhen, CancellationToken cancellationToken)
    {
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(partialBody, cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The abort resets the connection, which can discard bytes the client has not read yet: give it time.
            await (cutWhen ?? Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        context.Abort();
    }
}
