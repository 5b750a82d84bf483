using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Errors;

namespace Parley.Server.Security;

/// <summary>
/// Per-client fixed-window rate limits on the API routes: one window per API key, or per client IP address when the
/// API is open. Runs after <see cref="ApiKeyMiddleware"/>, so only valid keys get a partition.
/// </summary>
internal static class ApiRateLimiter
{
    /// <summary>Registers the limiter with the permits and window of <paramref name="options"/>.</summary>
    public static IServiceCollection AddApiRateLimiter(this IServiceCollection services, ParleyServerOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => options.RateLimitPermits > 0 && ApiKeyMiddleware.IsProtected(context.Request.Path)
                ? RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context, options), _ => new FixedWindowRateLimiterOptions
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

    private static string PartitionKey(HttpContext context, ParleyServerOptions options)
    {
        // The key middleware already rejected unknown keys, so the number of partitions is bounded by the configured keys.
        if (options.ApiKeys.Count > 0)
        {
            return "key:" + context.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        }

        return "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
