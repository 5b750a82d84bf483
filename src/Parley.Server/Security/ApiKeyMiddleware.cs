using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Parley.Server.Errors;

namespace Parley.Server.Security;

/// <summary>Requires <c>Authorization: Bearer KEY</c> with one of the configured keys on the API routes; open when none is configured.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ParleyServerOptions options)
{
    private readonly byte[][] _keys = [.. options.ApiKeys.Select(Encoding.UTF8.GetBytes)];

    public Task InvokeAsync(HttpContext context)
    {
        if (_keys.Length == 0 || !IsProtected(context.Request.Path))
        {
            return next(context);
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return OpenAIErrorMiddleware.WriteAsync(context, new ApiException(401, "missing API key: send it as 'Authorization: Bearer KEY'", code: "invalid_api_key"));
        }

        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        var valid = false;
        foreach (var key in _keys)
        {
            // Compare with every key in constant time, so timing tells nothing about how close a guess was.
            valid |= CryptographicOperations.FixedTimeEquals(given, key);
        }

        return valid
            ? next(context)
            : OpenAIErrorMiddleware.WriteAsync(context, new ApiException(401, "incorrect API key", code: "invalid_api_key"));
    }

    /// <summary>Whether <paramref name="path"/> is an API route (keys and rate limits apply) rather than health or metrics.</summary>
    internal static bool IsProtected(PathString path) =>
        path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
