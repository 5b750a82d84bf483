using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Benchmarks.Server;

/// <summary>
/// A minimal OpenAI-compatible upstream on a free loopback port: <c>POST /v1/chat/completions</c> answers a fixed
/// completion at once, or streams <see cref="StreamChunks"/> chunks <see cref="ChunkDelay"/> apart.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    public const string Model = "bench-model";

    private static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! This is a fixed reply from the benchmark upstream."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":12,"total_tokens":24}}""");

    private static readonly byte[] Chunk = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},\"finish_reason\":null}]}\n\n");

    private static readonly byte[] Final = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" +
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":20,\"total_tokens\":32}}\n\n" +
        "data: [DONE]\n\n");

    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The API base address, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>How many content chunks a streamed answer has. Default 20.</summary>
    public int StreamChunks { get; set; } = 20;

    /// <summary>The pause before each streamed chunk. Default none.</summary>
    public TimeSpan ChunkDelay { get; set; }

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeUpstream? self = null;
        app.MapPost("/v1/chat/completions", async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var stream = body.RootElement.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            if (!stream)
            {
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = Completion.Length;
                await context.Response.Body.WriteAsync(Completion, context.RequestAborted);
                return;
            }

            context.Response.ContentType = "text/event-stream";
            await context.Response.StartAsync(context.RequestAborted);
            for (var i = 0; i < self!.StreamChunks; i++)
            {
                if (self.ChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(self.ChunkDelay, context.RequestAborted);
                }

                await context.Response.Body.WriteAsync(Chunk, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            await context.Response.Body.WriteAsync(Final, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeUpstream(app, new Uri(address.TrimEnd('/') + "/v1"));
        return self;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
