namespace Parley.Testing;

/// <summary>
/// What <see cref="OpenAITestServer"/> does with the next chat-completion request: reply, call a tool, fail with a
/// status, cut the connection mid-way, or wait first. Steps are queued with <see cref="OpenAITestServer.Enqueue"/>.
/// </summary>
public sealed class ServerStep
{
    /// <summary>The default reply words, used by cut streams.</summary>
    public const string DefaultText = "one two three four five six";

    private ServerStep(ServerStepKind kind)
    {
        Kind = kind;
    }

    internal ServerStepKind Kind { get; }

    internal string? Text { get; private init; }

    internal IReadOnlyList<ScriptedToolCall> ToolCalls { get; private init; } = [];

    internal int StatusCode { get; private init; }

    internal string? ErrorMessage { get; private init; }

    internal int? RetryAfterSeconds { get; private init; }

    internal int? RetryAfterMilliseconds { get; private init; }

    internal int Chunks { get; private init; }

    internal TimeSpan Wait { get; private init; }

    internal TimeSpan ChunkDelay { get; private init; }

    internal Task? CutWhen { get; private init; }

    internal ServerStep? Then { get; private init; }

    internal string? ContentType { get; private init; }

    /// <summary>Replies "echo: &lt;last user message&gt;" (what the server does when the queue is empty).</summary>
    public static ServerStep Echo() => new(ServerStepKind.Echo);

    /// <summary>Replies with <paramref name="text"/>; streamed one word per chunk, <paramref name="chunkDelay"/> apart (streams only).</summary>
    public static ServerStep Reply(string text, TimeSpan chunkDelay = default) => new(ServerStepKind.Reply) { Text = text, ChunkDelay = chunkDelay };

    /// <summary>Asks the client to call function <paramref name="name"/> with <paramref name="argumentsJson"/> (finish reason "tool_calls").</summary>
    public static ServerStep ToolCall(string name, string argumentsJson, string callId = "call_1") =>
        ParallelToolCalls((name, argumentsJson, callId));

    /// <summary>
    /// Asks the client to call several functions at once (parallel tool calls, indexes 0, 1, …; finish reason
    /// "tool_calls"). Streamed, each call comes as a header chunk and its arguments in two pieces, one call after another.
    /// </summary>
    public static ServerStep ParallelToolCalls(params (string Name, string ArgumentsJson, string CallId)[] calls)
    {
        ArgumentOutOfRangeException.ThrowIfZero(calls.Length);
        return new(ServerStepKind.ToolCall) { ToolCalls = [.. calls.Select(c => new ScriptedToolCall(c.Name, c.ArgumentsJson, c.CallId))] };
    }

    /// <summary>Fails with an HTTP status and an OpenAI-style error body, with optional <c>retry-after</c> / <c>retry-after-ms</c> headers.</summary>
    public static ServerStep Status(int statusCode, int? retryAfterSeconds = null, string? message = null, int? retryAfterMilliseconds = null) =>
        new(ServerStepKind.Status)
        {
            StatusCode = statusCode,
            RetryAfterSeconds = retryAfterSeconds,
            RetryAfterMilliseconds = retryAfterMilliseconds,
            ErrorMessage = message,
        };

    /// <summary>
    /// Starts a 200 response and aborts the connection: a stream after <paramref name="chunks"/> SSE events (the
    /// first carries the role, the next ones a word each; 0 = before any event), a JSON reply half-way.
    /// </summary>
    /// <param name="chunks">How many SSE events to send before the cut.</param>
    /// <param name="text">The reply the events are cut from.</param>
    /// <param name="cutWhen">
    /// When set, the cut waits for this task (complete it once the client has read what it should), because an
    /// abort resets the connection and may discard data the client has not read yet. Otherwise the cut comes
    /// 100 ms after the last event.
    /// </param>
    public static ServerStep CutStreamAfter(int chunks, string text = DefaultText, Task? cutWhen = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        return new ServerStep(ServerStepKind.Cut) { Chunks = chunks, Text = text, CutWhen = cutWhen };
    }

    /// <summary>Waits <paramref name="wait"/> before sending anything, then does <paramref name="then"/> (default: echo).</summary>
    public static ServerStep Delay(TimeSpan wait, ServerStep? then = null) =>
        new(ServerStepKind.Delay) { Wait = wait, Then = then };

    /// <summary>
    /// Fails with an HTTP status and a body that is not OpenAI's error JSON, such as the HTML page a proxy or load
    /// balancer answers with; <paramref name="retryAfterSeconds"/> sets <c>retry-after</c>.
    /// </summary>
    public static ServerStep Raw(int statusCode, string body = "<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>", string contentType = "text/html", int? retryAfterSeconds = null) =>
        new(ServerStepKind.RawStatus) { StatusCode = statusCode, Text = body, ContentType = contentType, RetryAfterSeconds = retryAfterSeconds };

    /// <summary>
    /// Fails with an HTTP status whose error message echoes the request's API key, as some servers do
    /// ("Incorrect API key provided: sk-…"): a body that must never reach Parley's clients.
    /// </summary>
    public static ServerStep EchoKeyError(int statusCode = 401) => new(ServerStepKind.EchoKeyError) { StatusCode = statusCode };

    /// <summary>Never answers: waits until the client gives up or the server stops.</summary>
    public static ServerStep Hang() => Delay(Timeout.InfiniteTimeSpan);

    /// <summary>Starts a stream, sends <paramref name="chunks"/> SSE events (the role, then a word each), then sends nothing more and never ends.</summary>
    public static ServerStep StallAfter(int chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        return new ServerStep(ServerStepKind.Stall) { Chunks = chunks, Text = DefaultText };
    }

    /// <summary>A stream that never ends: a word every <paramref name="chunkDelay"/>, forever.</summary>
    public static ServerStep Endless(TimeSpan chunkDelay) => new(ServerStepKind.Endless) { ChunkDelay = chunkDelay };
}

/// <summary>One function call a <see cref="ServerStep"/> asks for.</summary>
internal sealed record ScriptedToolCall(string Name, string Arguments, string Id);
