using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Conversations;

namespace Parley.Hosting;

/// <summary>Adds what hosting bots needs to a service collection, the one way <c>chat</c>, <c>ask</c> and <c>serve</c> share.</summary>
public static class ParleyServiceCollectionExtensions
{
    /// <summary>
    /// Adds bot hosting: <see cref="ParleyOptions"/> (section <c>Parley</c>) and <see cref="LlmEndpointOptions"/>
    /// (section <c>OpenAI</c>) bound from <paramref name="configuration"/> and validated; the <see cref="ParleyDataFolder"/>;
    /// the process's sentence encoder behind the data folder's embedding cache as the
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>; the <see cref="LlmClientFactory"/>; the
    /// <see cref="IBotFactory"/>; and the <see cref="ParleyDatabase"/> (SQLite, or PostgreSQL when <c>Parley:Database</c> is a connection string) with its <see cref="IConversationStore"/> and calendar store (for the calendar tools). Services already registered are kept,
    /// so a test or host can replace any of them by registering it first (or, for single services, after).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration to bind; read when the options are first used.</param>
    public static IServiceCollection AddParleyBots(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ParleyOptions>().Bind(configuration.GetSection(ParleyOptions.SectionName)).ValidateOnStart();
        services.AddOptions<LlmEndpointOptions>().Bind(configuration.GetSection(LlmEndpointOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ParleyOptions>, ParleyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmEndpointOptions>, LlmEndpointOptionsValidator>());

        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ParleyOptions>>().Value.GetDataFolder());
        services.TryAddSingleton(sp => SharedSentenceEncoder.CreateCached(sp.GetRequiredService<ParleyDataFolder>()));
        services.TryAddSingleton(sp => new LlmClientFactory(
            sp.GetRequiredService<IOptions<LlmEndpointOptions>>(),
            sp.GetRequiredService<IOptions<ParleyOptions>>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IBotStartupReporter>(sp => new LoggingBotStartupReporter(
            sp.GetService<ILoggerFactory>()?.CreateLogger<LoggingBotStartupReporter>() ?? NullLogger<LoggingBotStartupReporter>.Instance));
        services.TryAddSingleton<IBotFactory, BotFactory>();
        services.TryAddSingleton(sp => new ParleyDatabase(sp.GetRequiredService<IOptions<ParleyOptions>>().Value, sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<ParleyDatabase>().OpenConversations());
        services.TryAddSingleton(sp => sp.GetRequiredService<ParleyDatabase>().OpenCalendar());
        return services;
    }
}
