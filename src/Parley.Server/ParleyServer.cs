using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Parley.Hosting;
using Parley.Server.Chat;
using Parley.Server.Embeddings;
using Parley.Server.Errors;
using Parley.Server.FineTuning;
using Parley.Server.Health;
using Parley.Server.Hosting;
using Parley.Server.Mcp;
using Parley.Server.Models;
using Parley.Server.Security;
using Parley.Server.Knowledge;
using Parley.Server.Runs;
using Parley.Server.Sessions;
using Parley.Server.Web;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Server.Telemetry;

namespace Parley.Server;

/// <summary>Builds the OpenAI-compatible server: <c>/v1/models</c>, <c>/v1/chat/completions</c>, <c>/v1/embeddings</c>, sessions, health and <c>/metrics</c>.</summary>
public static class ParleyServer
{
    /// <summary>
    /// Creates the host builder with the server's services; add to it (configuration, services of your own, a test
    /// server), then call <see cref="Build"/>. <see cref="ParleyServerOptions"/> are bound from the
    /// <c>Parley:Server</c> section of the builder's configuration, then <paramref name="configure"/> runs, and they are
    /// validated when the server starts; bots are hosted by <see cref="ParleyServiceCollectionExtensions.AddParleyBots"/>.
    /// The content root is the program's folder (its <c>appsettings.json</c> is read from there, once: changes are not
    /// watched).
    /// </summary>
    /// <param name="args">Host arguments, for example <c>--urls http://127.0.0.1:8080</c>.</param>
    /// <param name="configure">Sets options in code (bot folders, an upstream client, the clock); runs after configuration.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<ParleyServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Options are read once at start, so the host's appsettings files need no watching: watching them put an
            // inotify watch on every folder under the content root, walking the whole tree at each start (~3,300
            // folders from the repository). The content root is the program's folder, not the working one.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            ContentRootPath = AppContext.BaseDirectory,
        }).UseServerLoggingDefaults();
        var services = builder.Services;
        services.AddOptions<ParleyServerOptions>().Bind(builder.Configuration.GetSection(ParleyServerOptions.SectionName));
        services.AddSingleton<IConfigureOptions<ParleyServerOptions>, ServerOptionsSetup>();
        services.AddOptions<ParleyServerOptions>()
            .Configure(configure ?? (_ => { }))
            .PostConfigure<LlmClientFactory>(ServeConfiguredUpstream)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ParleyServerOptions>, ServerOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ParleyServerOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<ParleyServerOptions>().TimeProvider);
        services.AddOptions<KestrelServerOptions>().Configure<ParleyServerOptions>((kestrel, options) => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        services.AddOptions<HostOptions>().Configure<ParleyServerOptions>((host, options) => host.ShutdownTimeout = options.ShutdownTimeout);
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<ParleyServerOptions>((cors, options) => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. options.CorsOrigins])
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders(ChatCompletionEndpoints.SessionHeader, "Retry-After")));

        services.AddParleyBots(builder.Configuration);
        services.AddSingleton<BotRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<BotRegistry>());
        services.AddSingleton<SessionLocks>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<AuthFailureThrottle>();
        services.AddFineTuning();
        services.TryAddSingleton(sp => sp.GetRequiredService<ParleyDatabase>().OpenRuns());
        services.AddSingleton<RunCatalog>();
        services.AddBotMcpServers();
        services.AddApiRateLimiter();
        services.AddServerTelemetry();
        services.Configure<JsonOptions>(o => ServerJson.Configure(o.SerializerOptions));
        return builder;
    }

    /// <summary>Builds the application from <paramref name="builder"/> and maps its endpoints.</summary>
    /// <exception cref="OptionsValidationException">A server option is invalid.</exception>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        var options = app.Services.GetRequiredService<ParleyServerOptions>();
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<OpenAIErrorMiddleware>();
        if (options.CorsOrigins.Count > 0)
        {
            // Before the endpoints, so browsers' preflight requests (which carry no key) are answered.
            app.UseCors();
        }

        app.UseRateLimiter();
        app.MapHealthEndpoints();
        app.MapMetricsEndpoint();
        var v1 = app.MapApiGroup("/v1");
        v1.MapModelEndpoints();
        v1.MapChatCompletionEndpoints();
        v1.MapEmbeddingEndpoints();
        v1.MapFineTuningEndpoints();
        var api = app.MapApiGroup("/api");
        api.MapSessionEndpoints();
        api.MapRunEndpoints();
        api.MapPassageEndpoints();
        app.MapBotMcpServers();
        app.MapWebApp();
        return app;
    }

    /// <summary>
    /// Serves the endpoint's own model (<c>OpenAI:Model</c>) beside the bots when an endpoint and a model are configured
    /// and no upstream was given in code.
    /// </summary>
    private static void ServeConfiguredUpstream(ParleyServerOptions options, LlmClientFactory llm)
    {
        if (options.Upstream is null && llm.IsConfigured && llm.ConfiguredModel is { } model)
        {
            options.Upstream = llm.Create(model);
            options.UpstreamModel = model;
        }
    }
}
