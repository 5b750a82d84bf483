using Microsoft.AspNetCore.Http;
using Parley.Server.Errors;

namespace Parley.Server.Security;

/// <summary>
/// The API groups' requirement of <c>Authorization: Bearer KEY</c> with a configured key; open when none is configured.
/// Failed attempts are counted per client address by <see cref="AuthFailureThrottle"/>.
/// </summary>
internal sealed class ApiKeyEndpointFilter(ApiKeys keys, AuthFailureThrottle throttle) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (keys.IsOpen)
        {
            return next(context);
        }

        if (throttle.MayBlock && throttle.IsBlocked(Address(context.HttpContext), out var retryAfter))
        {
            throw new ApiException(429, "too many failed authentication attempts from this address; retry after the Retry-After header's seconds", code: "too_many_failed_attempts")
            {
                RetryAfter = retryAfter,
            };
        }

        var token = ApiKeys.BearerToken(context.HttpContext.Request);
        if (token is null || keys.Caller(token) is not { } caller)
        {
            throttle.RecordFailure(Address(context.HttpContext));
            throw new ApiException(401, token is null ? "missing API key: send it as 'Authorization: Bearer KEY'" : "incorrect API key", code: "invalid_api_key");
        }

        ApiCaller.Set(context.HttpContext, caller);
        return next(context);
    }

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
