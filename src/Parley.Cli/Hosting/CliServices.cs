using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Cli.Rendering;
using Parley.Hosting;
using Parley.Nlu.Torch;
using Parley.Nlu.Training;

namespace Parley.Cli.Hosting;

/// <summary>The services of a run of <c>parley</c>: bot hosting from the library, with start-up lines on stderr.</summary>
internal static class CliServices
{
    /// <summary>Builds the services over <paramref name="settings"/>.</summary>
    public static ServiceProvider Build(CliContext context, ParleySettings settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IBotStartupReporter>(new BotStartupLines(context.Error));
        services.AddEncoderFineTuning();
        services.AddParleyBots(settings.Configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>
    /// Lets bot packs and fine-tuning jobs fine-tune the encoder (<c>method: full|lora|contrastive</c>) with
    /// Parley.Nlu.Torch; libtorch loads only when one does.
    /// </summary>
    public static IServiceCollection AddEncoderFineTuning(this IServiceCollection services)
    {
        services.TryAddSingleton<IEncoderFineTuner, TorchEncoderFineTuner>();
        return services;
    }
}
