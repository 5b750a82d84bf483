using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Parley.Testing;

/// <summary>
/// An in-process webhook double on 127.0.0.1 (Kestrel, a free port): every <c>POST /hook</c> body is recorded; the next
/// <see cref="FailNext"/> requests get HTTP 503, and with <see cref="Hang"/> requests get no answer at all.
/// </summary>
public sealed class WebhookTestServer : IAsyncDisposable
{
    private WebApplication? _app;

    private WebhookTestServer()
    {
    }

    /// <summary>The hook's URL, e.g. <c>http://127.0.0.1:5123/hook</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>How many of the next requests fail with HTTP 503.</summary>
    public int FailNext { get; set; }

    /// <summary>Whether requests are left unanswered until the client gives up.</summary>
    public bool Hang { get; set; }

    /// <summary>The body of every request, in order.</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    public static async Task<WebhookTestServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new WebhookTestServer();
        var (app, address) = await LoopbackHost.StartAsync(app => app.MapPost("/hook", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            server.Bodies.Enqueue(await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false));
            if (server.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
            }

            if (server.FailNext > 0)
            {
                server.FailNext--;
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }), cancellationToken).ConfigureAwait(false);
        server._app = app;
        server.Url = new Uri(address + "/hook");
        return server;
    }

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => LoopbackHost.StopAsync(_app);
}
