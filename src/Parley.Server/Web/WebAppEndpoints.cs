using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Parley.Server.Web;

/// <summary>
/// Maps the browser app: <c>GET /</c> is its page and <c>GET /app/…</c> its scripts, styles and the vendored
/// libraries, all embedded in the server (nothing is fetched from elsewhere). The files are public; the data they show
/// comes from <c>/v1</c> and <c>/api</c>, which keep their API keys and rate limits.
/// </summary>
public static class WebAppEndpoints
{
    /// <summary>
    /// The page's content security policy: scripts, styles and connections only from the server itself, images also
    /// from <c>blob:</c> (the charts) and <c>data:</c>; no plug-ins, no framing. A reply that slipped past the sanitiser
    /// still could not run script.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapWebApp(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var assets = WebAssets.Load(typeof(WebAppEndpoints).Assembly);
        app.MapGet("/", (HttpContext context) => Serve(context, assets.Find("index.html")));
        app.MapGet("/app/{**path}", (string path, HttpContext context) => Serve(context, assets.Find(path)));
        return app;
    }

    private static IResult Serve(HttpContext context, WebAsset? asset)
    {
        if (asset is null)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
