using System.Net.Http.Headers;
using System.Text;

namespace Parley.Benchmarks.Server;

/// <summary>The HTTP client settings every server benchmark uses, for the direct and the gateway target alike.</summary>
internal static class BenchHttp
{
    /// <summary>The chat request both targets get: same bytes, same headers.</summary>
    public static readonly byte[] ChatPayload = Encoding.UTF8.GetBytes(
        $$"""{"model":"{{FakeUpstream.Model}}","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Hello, how are you today?"}],"max_tokens":32,"temperature":0.2}""");

    public static HttpClient Create(Uri baseUrl, string? apiKey)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public static HttpRequestMessage Post(string path, byte[] body, string? sessionId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (sessionId is not null)
        {
            request.Headers.Add("X-Parley-Session", sessionId);
        }

        return request;
    }

    /// <summary>Sends one request and reads the whole answer; false for a status other than 200.</summary>
    public static async Task<bool> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using (request)
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken))
        {
            return response.StatusCode == System.Net.HttpStatusCode.OK;
        }
    }

    /// <summary>Reads a server-sent event stream to its end; true when it ended with <c>data: [DONE]</c>.</summary>
    public static async Task<bool> ReadStreamAsync(HttpResponseMessage response, Action? onFirstChunk = null, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var first = true;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            if (first)
            {
                first = false;
                onFirstChunk?.Invoke();
            }

            if (line == "data: [DONE]")
            {
                return true;
            }
        }

        return false;
    }
}
