using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Hosting;
using Parley.Server.Errors;

namespace Parley.Server.Security;

/// <summary>
/// The API groups' per-client fixed-window rate limit (<see cref="PolicyName"/>): one window per valid API key, or per
/// client IP address when the API is open or the request has no valid key (so made-up keys cannot add partitions).
/// On a database shared by several servers (PostgreSQL) the windows are counted there, so the limit holds across them.
/// </summary>
internal static class ApiRateLimiter
{
    /// <summary>The rate-limiting policy the API groups require.</summary>
    public const string PolicyName = "api";

    /// <summary>Registers the policy with the permits and window of the server options.</summary>
    public static IServiceCollection AddApiRateLimiter(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddSingleton(sp => new SharedRateLimitCounter(sp.GetRequiredService<ParleyDatabase>().OpenRateLimitCounter()));
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ParleyServerOptions>, ApiKeys, SharedRateLimitCounter>((limiter, server, keys, shared) =>
        {
            var options = server.Value;
            limiter.AddPolicy(PolicyName, context => (options.RateLimitPermits, shared.Counter) switch
            {
                (<= 0, _) => RateLimitPartition.GetNoLimiter(string.Empty),
                (_, { } counter) => RateLimitPartition.Get(PartitionKey(context, keys), key =>
                    new SharedWindowRateLimiter(counter, key, options.RateLimitPermits, options.RateLimitWindow, options.TimeProvider)),
                _ => RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context, keys), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = options.RateLimitWindow,
                    QueueLimit = 0,
                }),
            });
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
