using System.Net;
using Parley.Server.Web;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class WebAppTests(ServerFixture server)
{
    [Fact]
    public async Task GetRoot_WithoutKey_ServesThePageWithAStrictContentSecurityPolicy()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Authorization = null;

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WebAppEndpoints.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("/app/js/app.js", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);
    }

    [Theory]
    [InlineData("/app/js/app.js", "text/javascript")]
    [InlineData("/app/vendor/dompurify/purify.es.mjs", "text/javascript")]
    [InlineData("/app/vendor/marked/marked.esm.js", "text/javascript")]
    [InlineData("/app/vendor/highlight/highlight.min.js", "text/javascript")]
    [InlineData("/app/app.css", "text/css")]
    public async Task GetAsset_Embedded_ServedWithItsTypeAndETag(string path, string type)
    {
        using var response = await server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var cached = await server.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
    }

    [Fact]
    public async Task GetAsset_Unknown_Is404()
    {
        using var response = await server.Http.GetAsync("/app/js/nope.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
