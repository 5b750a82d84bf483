using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Hosting;

namespace Parley.Server.FineTuning;

/// <summary>Adds the self-hosted fine-tuning API (files, jobs, the job queue and its runner, the fine-tuned models) to the server.</summary>
internal static class FineTuningServiceCollectionExtensions
{
    public static IServiceCollection AddFineTuning(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<ParleyDatabase>().OpenFineTuning());
        services.AddSingleton<FineTuningStore>();
        services.AddSingleton<FineTuningJobRunner>();
        services.AddSingleton<FineTuningQueue>();
        // The import runs before the queue starts, so jobs of an older data folder are in the database when it claims.
        services.AddHostedService<FineTuningDiskImport>();
        services.AddHostedService(sp => sp.GetRequiredService<FineTuningQueue>());
        services.AddSingleton<FineTunedModels>();
        return services;
    }

    public static IEndpointRouteBuilder MapFineTuningEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapFileEndpoints();
        app.MapFineTuningJobEndpoints();
        return app;
    }
}
