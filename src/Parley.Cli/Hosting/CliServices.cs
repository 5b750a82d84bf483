using Microsoft.Extensions.DependencyInjection;
using Parley.Cli.Rendering;
using Parley.Hosting;

namespace Parley.Cli.Hosting;

/// <summary>The services of a run of <c>parley</c>: bot hosting from the library, with start-up lines on stderr.</summary>
internal static class CliServices
{
    /// <summary>Builds the services over <paramref name="settings"/>.</summary>
    public static ServiceProvider Build(CliContext context, ParleySettings settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IBotStartupReporter>(new BotStartupLines(context.Error));
        services.AddParleyBots(settings.Configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
