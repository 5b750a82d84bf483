using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Parley.Server.FineTuning;

/// <summary>Adds the self-hosted fine-tuning API (files, jobs, the background trainer and the fine-tuned models) to the server.</summary>
internal static class FineTuningServiceCollectionExtensions
{
    public static IServiceCollection AddFineTuning(this IServiceCollection services)
    {
        services.AddSingleton<FineTuningStore>();
        services.AddSingleton<FineTuningWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<FineTuningWorker>());
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
