using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Parley.Server.Security;

namespace Parley.Server.Hosting;

/// <summary>Route groups of the API: they carry its requirements (an API key when keys are configured, the rate limit).</summary>
internal static class ApiGroups
{
    /// <summary>A group under <paramref name="prefix"/> whose endpoints require a valid API key and are rate-limited.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix);
        group.AddEndpointFilter<ApiKeyEndpointFilter>();
        group.RequireRateLimiting(ApiRateLimiter.PolicyName);
        return group;
    }
}
