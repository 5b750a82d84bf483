using Microsoft.AspNetCore.Http;
using Parley.Server.Errors;

namespace Parley.Server.Security;

/// <summary>The API groups' requirement of <c>Authorization: Bearer KEY</c> with a configured key; open when none is configured.</summary>
internal sealed class ApiKeyEndpointFilter(ApiKeys keys) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (keys.IsOpen)
        {
            return next(context);
        }

        var token = ApiKeys.BearerToken(context.HttpContext.Request)
            ?? throw new ApiException(401, "missing API key: send it as 'Authorization: Bearer KEY'", code: "invalid_api_key");
        return keys.IsValid(token) ? next(context) : throw new ApiException(401, "incorrect API key", code: "invalid_api_key");
    }
}
