using System.Net;
using Microsoft.AspNetCore.TestHost;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class CorsTests(ServerFixture server)
{
    private const string Origin = "https://app.example.com";

    [Fact]
    public async Task Preflight_ConfiguredOrigin_IsAllowedWithoutKey()
    {
        await using var app = await server.StartServerAsync(o =>
        {
            o.CorsOrigins.Add(Origin);
            o.ApiKeys.Add("sk-a");
        });
        using var http = app.GetTestClient();

        using var response = await http.SendAsync(Preflight());

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal(Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Request_NoOriginsConfigured_SendsNoCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("Origin", Origin);

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_OtherOrigin_IsNotAllowed()
    {
        await using var app = await server.StartServerAsync(o => o.CorsOrigins.Add(Origin));
        using var http = app.GetTestClient();
        using var request = Preflight();
        request.Headers.Remove("Origin");
        request.Headers.Add("Origin", "https://evil.example.com");

        using var response = await http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public void Validate_OriginWithPath_Throws()
    {
        var options = new ParleyServerOptions();
        options.BotFolders.Add("bot");
        options.CorsOrigins.Add("https://app.example.com/chat");

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(ParleyServerOptions.CorsOrigins), error.ParamName);
    }

    private static HttpRequestMessage Preflight()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", Origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
