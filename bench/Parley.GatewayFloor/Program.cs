// The floor of the gateway benchmark (`server overhead --parley <this dll>`): the least a .NET gateway can do for a
// chat completion — Kestrel reads the body, HttpClient sends it upstream, the answer is copied back, one log line is
// written — without Parley's checks (API key, rate limit, JSON validation), metrics or retries. It takes the arguments
// the benchmark gives parley serve and uses only --urls and OPENAI_BASE_URL.
using System.Diagnostics;

var urls = args[Array.IndexOf(args, "--urls") + 1];
var upstream = (Environment.GetEnvironmentVariable("OPENAI_BASE_URL") ?? throw new InvalidOperationException("OPENAI_BASE_URL is not set")).TrimEnd('/') + "/chat/completions";
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", urls] });
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Floor");
using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
app.MapGet("/readyz", () => "ok");
app.MapPost("/v1/chat/completions", async (HttpContext context) =>
{
    var started = Stopwatch.GetTimestamp();
    using var body = new MemoryStream();
    await context.Request.Body.CopyToAsync(body, context.RequestAborted);
    using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length) };
    request.Content.Headers.ContentType = new("application/json");
    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Environment.GetEnvironmentVariable("OPENAI_API_KEY"));
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
    context.Response.StatusCode = (int)response.StatusCode;
    context.Response.ContentType = "application/json";
    await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    log.LogInformation("POST /v1/chat/completions answered {Status} in {DurationMs:0.0} ms", context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
});
app.Run();
