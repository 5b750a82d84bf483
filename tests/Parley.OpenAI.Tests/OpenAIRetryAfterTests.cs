using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Resilience;
using Parley.Testing;

namespace Parley.OpenAI.Tests;

/// <summary>
/// An HTTP-date <c>Retry-After</c> through the real SDK and the retry pipeline, on a fake clock: the endpoint is a
/// scripted <see cref="HttpMessageHandler"/>, so no real time passes.
/// </summary>
public sealed class OpenAIRetryAfterTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_start);
    private readonly List<RetryEvent> _retries = [];
    private readonly List<DateTimeOffset> _requestTimes = [];

    private IChatClient Pipeline(HttpMessageHandler handler) => OpenAIChatClientFactory.CreatePipeline(
        new OpenAIEndpointOptions { BaseUrl = new Uri("http://endpoint.test/v1"), Model = "m" },
        o =>
        {
            o.TimeProvider = _time;
            o.Deadline = TimeSpan.FromSeconds(30);
            o.OnRetry = _retries.Add;
        },
        new HttpClient(handler));

    /// <summary>429 with <c>Retry-After</c> <paramref name="wait"/> after its <c>Date</c> (which runs 100 s ahead of the client), then a reply.</summary>
    private Scripted RateLimitedUntil(TimeSpan wait) => new(_time, _requestTimes, request =>
    {
        if (_requestTimes.Count > 1)
        {
            const string body = """
                {"id":"chatcmpl-1","object":"chat.completion","created":0,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"after the wait"},"finish_reason":"stop"}]}
                """;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }

        var serverNow = _time.GetUtcNow() + TimeSpan.FromSeconds(100);
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent("""{"error":{"message":"slow down","type":"rate_limit_exceeded"}}""", Encoding.UTF8, "application/json"),
        };
        response.Headers.Date = serverNow;
        response.Headers.TryAddWithoutValidation("Retry-After", (serverNow + wait).ToString("r", CultureInfo.InvariantCulture));
        return response;
    });

    [Fact]
    public async Task GetResponseAsync_RetryAfterHttpDateWithinDeadline_WaitsUntilThatDate()
    {
        using var client = Pipeline(RateLimitedUntil(TimeSpan.FromSeconds(12)));

        var response = await FakeClock.DriveAsync(_time, () => client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(50));

        Assert.Equal("after the wait", response.Text);
        Assert.Equal(2, _requestTimes.Count);
        var retry = Assert.Single(_retries);
        Assert.Equal(TimeSpan.FromSeconds(12), retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(12), retry.Failure.RetryAfter);
        Assert.InRange(_requestTimes[1] - _requestTimes[0], TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(12.1));
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterHttpDateBeyondDeadline_GivesUpAtOnceSayingSo()
    {
        using var client = Pipeline(RateLimitedUntil(TimeSpan.FromSeconds(45)));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.Single(_requestTimes);
        Assert.Empty(_retries);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
        Assert.Equal(
            "The model endpoint failed after 1 attempt in 0 s: HTTP 429 Too Many Requests; it asked to retry after 45 s, beyond the 30 s deadline (30 s left).",
            error.Message);
    }

    private sealed class Scripted(TimeProvider time, List<DateTimeOffset> requestTimes, Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (requestTimes)
            {
                requestTimes.Add(time.GetUtcNow());
            }

            return Task.FromResult(respond(request));
        }
    }
}
