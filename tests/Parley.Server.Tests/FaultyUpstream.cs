using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.OpenAI;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// A scripted upstream that fails on demand, and a Parley server in front of it both ways: as the upstream model
/// (pass-through) and as the LLM of the shop bot. The upstream client is built as <c>parley serve</c> builds it
/// (retries within a deadline), with short limits so faults show in seconds.
/// </summary>
internal sealed class FaultyUpstream : IAsyncDisposable
{
    /// <summary>The key Parley sends upstream; it must never reach a client.</summary>
    public const string UpstreamKey = "sk-upstream-secret-0123456789abcdef";

    /// <summary>The retry deadline of the upstream client.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    /// <summary>The server's limit for one stream.</summary>
    public static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The server's limit between two updates of a stream.</summary>
    public static readonly TimeSpan StreamIdleTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How late a cut may come on a loaded CI machine (one run measured 3.1 s late with two test
    /// assemblies training models beside it). Still far below what an uncut stream or hang would take:
    /// the test's HTTP client waits 100 s.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    private readonly ServerFixture _server;

    private FaultyUpstream(ServerFixture server, OpenAITestServer upstream, IChatClient client, WebApplication app, LogCollector logs)
    {
        _server = server;
        Upstream = upstream;
        Client = client;
        App = app;
        Logs = logs;
        Http = app.GetTestClient();
    }

    /// <summary>The scripted upstream.</summary>
    public OpenAITestServer Upstream { get; }

    /// <summary>The upstream client (with retries) Parley uses.</summary>
    public IChatClient Client { get; }

    /// <summary>The Parley server.</summary>
    public WebApplication App { get; }

    /// <summary>Parley's logs.</summary>
    public LogCollector Logs { get; }

    /// <summary>A raw HTTP client of the Parley server.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts the upstream and the server, and routes the fixture bot's LLM to the upstream.</summary>
    public static async Task<FaultyUpstream> StartAsync(ServerFixture server)
    {
        var upstream = await OpenAITestServer.StartAsync();
        var client = OpenAIChatClientFactory.CreatePipeline(
            new OpenAIEndpointOptions { BaseUrl = upstream.BaseUrl, ApiKey = UpstreamKey, Model = UpstreamGateway.Model },
            retry =>
            {
                retry.MaxAttempts = 2;
                retry.InitialDelay = TimeSpan.FromMilliseconds(10);
                retry.MaxDelay = TimeSpan.FromMilliseconds(10);
                retry.Deadline = Deadline;
            });
        server.Llm.GetResponseAsyncCallback = (messages, options, ct) => client.GetResponseAsync(messages, options, ct);
        server.Llm.GetStreamingResponseAsyncCallback = (messages, options, ct) => client.GetStreamingResponseAsync(messages, options, ct);
        var logs = new LogCollector();
        var app = await server.StartServerAsync(
            o =>
            {
                o.Upstream = client;
                o.UpstreamModel = UpstreamGateway.Model;
                o.StreamTimeout = StreamTimeout;
                o.StreamIdleTimeout = StreamIdleTimeout;
            },
            b => b.Services.AddSingleton<ILoggerProvider>(logs));
        return new FaultyUpstream(server, upstream, client, app, logs);
    }

    /// <summary>Posts a chat completion for <paramref name="model"/> with a message no template answers.</summary>
    public async Task<Reply> PostAsync(string model, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["stream"] = stream,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "zqx vlorp sonnet about quasars" }),
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var started = DateTime.UtcNow;
        using var response = await Http.PostAsync("/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply((int)response.StatusCode, response.Headers.RetryAfter, text, DateTime.UtcNow - started);
    }

    public async ValueTask DisposeAsync()
    {
        _server.ResetLlm();
        Http.Dispose();
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
        Client.Dispose();
    }

    /// <summary>What the client got.</summary>
    public sealed record Reply(int Status, RetryConditionHeaderValue? RetryAfter, string Body, TimeSpan Elapsed)
    {
        /// <summary>The <c>data:</c> payloads of an SSE body, in order.</summary>
        public IReadOnlyList<string> Events =>
            [.. Body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..].TrimEnd('\r'))];

        /// <summary>The OpenAI error of a JSON error body, or of the stream's error event.</summary>
        public JsonNode? Error =>
            (Body.TrimStart().StartsWith('{') ? JsonNode.Parse(Body) : Events.Where(e => e.StartsWith('{')).Select(e => JsonNode.Parse(e)).LastOrDefault())?["error"];

        /// <summary>The text of a stream's content deltas.</summary>
        public string StreamedText => string.Concat(Events.Where(e => e.StartsWith('{')).Select(e => (string?)JsonNode.Parse(e)?["choices"]?[0]?["delta"]?["content"]));
    }
}
