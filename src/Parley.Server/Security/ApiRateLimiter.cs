using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Server.Errors;

namespace Parley.Server.Security;

/// <summary>
/// The API groups' per-client fixed-window rate limit (<see cref="PolicyName"/>): one window per valid API key, or per
/// client IP address when the API is open or the request has no valid key (so made-up keys cannot add partitions).
/// </summary>
internal static class ApiRateLimiter
{
    /// <summary>The rate-limiting policy the API groups require.</summary>
    public const string PolicyName = "api";

    /// <summary>Registers the policy with the permits and window of the server options.</summary>
    public static IServiceCollection AddApiRateLimiter(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ParleyServerOptions>, ApiKeys>((limiter, server, keys) =>
        {
            var options = server.Value;
            limiter.AddPolicy(PolicyName, context => options.RateLimitPermits > 0
                ? RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context, keys), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = options.RateLimitWindow,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(string.Empty));
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.RateLimitWindow;
                var error = new ApiException(429, $"rate limit reached: {options.RateLimitPermits} requests per {options.RateLimitWindow}; retry after the Retry-After header's seconds", code: "rate_limit_exceeded")
                {
                    RetryAfter = retryAfter,
                };
                return new ValueTask(OpenAIErrorMiddleware.WriteAsync(rejected.HttpContext, error));
            };
        });
        return services;
    }

    private static string PartitionKey(HttpContext context, ApiKeys keys) =>
        !keys.IsOpen && ApiKeys.BearerToken(context.Request) is { } token && keys.IsValid(token)
            ? "key:" + token
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
