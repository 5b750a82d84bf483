using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Parley.Server.Telemetry;

/// <summary>Wires OpenTelemetry metrics with a Prometheus scraping endpoint at <see cref="MetricsPath"/>.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The scraping path.</summary>
    public const string MetricsPath = "/metrics";

    // ASP.NET Core's own meters: request duration histograms (with counts) by route and status, and connections.
    private static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting"];

    /// <summary>Registers <see cref="ServerMetrics"/>, <see cref="ContentLog"/> and the OpenTelemetry meter provider with the Prometheus exporter.</summary>
    public static IServiceCollection AddServerTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<ContentLog>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName)
            .AddMeter(Parley.Hosting.LlmClientFactory.TelemetrySourceName)
            .AddMeter(AspNetCoreMeters)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>Maps the Prometheus text endpoint.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
