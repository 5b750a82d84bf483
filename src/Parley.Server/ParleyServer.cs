using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Server.Chat;
using Parley.Server.Embeddings;
using Parley.Server.Errors;
using Parley.Server.FineTuning;
using Parley.Server.Health;
using Parley.Server.Hosting;
using Parley.Server.Models;
using Parley.Server.Security;
using Parley.Server.Sessions;
using Parley.Server.Telemetry;

namespace Parley.Server;

/// <summary>Builds the OpenAI-compatible server: <c>/v1/models</c>, <c>/v1/chat/completions</c>, <c>/v1/embeddings</c>, sessions, health and <c>/metrics</c>.</summary>
public static class ParleyServer
{
    /// <summary>Creates the host builder with the server's services; add to it (for example a test server), then call <see cref="Build(WebApplicationBuilder)"/>.</summary>
    /// <param name="options">The server options; validated here.</param>
    /// <param name="args">Host arguments, for example <c>--urls http://127.0.0.1:8080</c>.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static WebApplicationBuilder CreateBuilder(ParleyServerOptions options, string[] args)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(args).UseServerLoggingDefaults();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<BotRegistry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BotRegistry>());
        builder.Services.AddSingleton<SessionLocks>();
        builder.Services.AddFineTuning();
        builder.Services.AddApiRateLimiter(options);
        builder.Services.AddServerTelemetry();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        if (options.CorsOrigins.Count > 0)
        {
            builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. options.CorsOrigins])
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders(ChatCompletionEndpoints.SessionHeader, "Retry-After")));
        }

        builder.Services.Configure<JsonOptions>(o => ServerJson.Configure(o.SerializerOptions));
        return builder;
    }

    /// <summary>Builds the application from <paramref name="builder"/> and maps its endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<OpenAIErrorMiddleware>();
        if (app.Services.GetRequiredService<ParleyServerOptions>().CorsOrigins.Count > 0)
        {
            // Before the key check, so browsers' preflight requests (which carry no key) are answered.
            app.UseCors();
        }

        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        app.MapHealthEndpoints();
        app.MapModelEndpoints();
        app.MapChatCompletionEndpoints();
        app.MapEmbeddingEndpoints();
        app.MapSessionEndpoints();
        app.MapFineTuningEndpoints();
        app.MapMetricsEndpoint();
        return app;
    }

    /// <summary>Creates and builds the server in one step.</summary>
    /// <param name="options">The server options; validated here.</param>
    /// <param name="args">Host arguments, for example <c>--urls http://127.0.0.1:8080</c>.</param>
    public static WebApplication Build(ParleyServerOptions options, string[] args) => Build(CreateBuilder(options, args));
}
