using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class RateLimitTests(ServerFixture server)
{
    [Fact]
    public async Task GetModels_OverLimit_Returns429WithRetryAfterInOpenAIShape()
    {
        await using var app = await server.StartServerAsync(o => o.RateLimitPermits = 2);
        using var http = app.GetTestClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/models")).StatusCode);
        using var limited = await http.GetAsync("/v1/models");
        var error = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
        Assert.Equal("requests", (string?)error["type"]);
    }

    [Fact]
    public async Task GetModels_RateLimitNotConfigured_NeverLimited()
    {
        await using var app = await server.StartServerAsync(_ => { });
        using var http = app.GetTestClient();

        for (var i = 0; i < 700; i++)
        {
            using var response = await http.GetAsync("/v1/models");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task GetModels_OneKeyOverLimit_OtherKeyStillServed()
    {
        await using var app = await server.StartServerAsync(o =>
        {
            o.RateLimitPermits = 1;
            o.ApiKeys.Add("sk-a");
            o.ApiKeys.Add("sk-b");
        });
        using var http = app.GetTestClient();

        Assert.Equal(HttpStatusCode.OK, await GetModelsAsync(http, "sk-a"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetModelsAsync(http, "sk-a"));
        Assert.Equal(HttpStatusCode.OK, await GetModelsAsync(http, "sk-b"));
    }

    [Fact]
    public async Task GetHealthz_OverLimit_IsNotLimited()
    {
        await using var app = await server.StartServerAsync(o => o.RateLimitPermits = 1);
        using var http = app.GetTestClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        }
    }

    [Fact]
    public async Task CompleteChat_OverLimit_OpenAIClientSees429()
    {
        await using var app = await server.StartServerAsync(o => o.RateLimitPermits = 1);
        using var http = app.GetTestClient();
        const string Body = "{\"model\":\"shop\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

        using var first = await http.PostAsync("/v1/chat/completions", new StringContent(Body, System.Text.Encoding.UTF8, "application/json"));
        using var second = await http.PostAsync("/v1/chat/completions", new StringContent(Body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    private static async Task<HttpStatusCode> GetModelsAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
