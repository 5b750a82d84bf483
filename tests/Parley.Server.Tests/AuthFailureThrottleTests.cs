using System.Net;
using Microsoft.AspNetCore.TestHost;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Failed authentications are counted per client address; past the limit the address is refused for the minute.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuthFailureThrottleTests(ServerFixture server)
{
    [Fact]
    public async Task GetModels_WrongKeysPastTheLimit_Get429EvenWithTheRightKey()
    {
        await using var app = await server.StartServerAsync(o =>
        {
            o.ApiKeys.Add("sk-right");
            o.AuthFailuresPerMinute = 3;
        });
        using var http = app.GetTestClient();

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            failures.Add(await StatusAsync(http, "sk-wrong-" + i));
        }

        using var blocked = await SendAsync(http, "sk-right");

        Assert.All(failures, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("too_many_failed_attempts", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var retryAfter = int.Parse(blocked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task GetModels_RightKeyBelowTheLimit_IsServedAndMissingKeysCount()
    {
        await using var app = await server.StartServerAsync(o =>
        {
            o.ApiKeys.Add("sk-right");
            o.AuthFailuresPerMinute = 2;
        });
        using var http = app.GetTestClient();

        var missing = await StatusAsync(http, key: null);
        var right = await StatusAsync(http, "sk-right");
        var wrong = await StatusAsync(http, "sk-wrong");
        var blocked = await StatusAsync(http, "sk-right");

        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal(HttpStatusCode.OK, right);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked);
    }

    [Fact]
    public async Task GetModels_LimitZero_NeverThrottles()
    {
        await using var app = await server.StartServerAsync(o =>
        {
            o.ApiKeys.Add("sk-right");
            o.AuthFailuresPerMinute = 0;
        });
        using var http = app.GetTestClient();

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "sk-wrong"));
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "sk-right"));
    }

    [Fact]
    public async Task GetModels_OpenServer_IsNeverThrottled()
    {
        await using var app = await server.StartServerAsync(o => o.AuthFailuresPerMinute = 1);
        using var http = app.GetTestClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "sk-anything"));
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string? key)
    {
        using var response = await SendAsync(http, key);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        return http.SendAsync(request);
    }
}
