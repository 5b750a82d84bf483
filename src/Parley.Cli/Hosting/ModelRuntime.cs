using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Conversations;
using Parley.Hosting;

namespace Parley.Cli.Hosting;

/// <summary>
/// A model on the configured OpenAI-compatible endpoint with no bot in front of it (<c>parley chat --bot none</c>):
/// the endpoint's chat client with the same retries bots use, and the conversation store.
/// </summary>
internal sealed class ModelRuntime : IAsyncDisposable
{
    /// <summary>What <c>--bot</c> is given to chat with the model directly.</summary>
    public const string NoBot = "none";

    private readonly ServiceProvider _services;

    private ModelRuntime(ServiceProvider services, IChatClient client, string model, string baseUrl)
    {
        _services = services;
        Client = client;
        Model = model;
        BaseUrl = baseUrl;
    }

    /// <summary>The model id.</summary>
    public string Model { get; }

    /// <summary>The endpoint's base URL.</summary>
    public string BaseUrl { get; }

    /// <summary>The chat client for the model.</summary>
    public IChatClient Client { get; }

    /// <summary>The conversation store.</summary>
    public IConversationStore Store => _services.GetRequiredService<IConversationStore>();

    /// <summary>Connects to the model of the settings.</summary>
    /// <exception cref="CliException">No endpoint is configured (exit 2: it must be given).</exception>
    public static ModelRuntime Start(CliContext context, ParleySettings settings)
    {
        if (!settings.OpenAI.IsConfigured)
        {
            throw new CliException(
                "--bot none chats with a model directly and needs an endpoint: pass --base-url URL (or set OPENAI_BASE_URL or OPENAI_API_KEY) and --model MODEL",
                exitCode: ExitCodes.Usage);
        }

        var services = CliServices.Build(context, settings);
        try
        {
            var factory = services.GetRequiredService<LlmClientFactory>();
            var model = factory.ConfiguredModel ?? LlmEndpointOptions.DefaultModel;
            var baseUrl = string.IsNullOrWhiteSpace(settings.OpenAI.BaseUrl) ? "https://api.openai.com/v1" : settings.OpenAI.BaseUrl;
            return new ModelRuntime(services, factory.Create(model), model, baseUrl);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>Releases the services (and the client).</summary>
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
