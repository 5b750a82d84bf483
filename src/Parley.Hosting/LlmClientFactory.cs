using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Bots.Packs;
using Parley.OpenAI;

namespace Parley.Hosting;

/// <summary>
/// Chat clients for the configured OpenAI-compatible endpoint (<see cref="LlmEndpointOptions"/>), each behind retries
/// within the deadline of <see cref="ParleyOptions.Retry"/>. Disposes the clients it made when it is disposed.
/// </summary>
public sealed class LlmClientFactory : IDisposable
{
    private readonly LlmEndpointOptions _endpoint;
    private readonly ParleyRetryOptions _retry;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly List<IChatClient> _clients = [];

    /// <summary>Creates the factory over the configured endpoint and retry settings.</summary>
    /// <param name="endpoint">The endpoint settings.</param>
    /// <param name="parley">The Parley settings (retries).</param>
    /// <param name="loggerFactory">Creates the retry logger; optional.</param>
    public LlmClientFactory(IOptions<LlmEndpointOptions> endpoint, IOptions<ParleyOptions> parley, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(parley);
        _endpoint = endpoint.Value;
        _retry = parley.Value.Retry;
        _loggerFactory = loggerFactory;
    }

    /// <summary>
    /// The OpenTelemetry source and meter name of the LLM calls (Microsoft.Extensions.AI's GenAI conventions:
    /// <c>gen_ai.client.operation.duration</c>, <c>gen_ai.client.token.usage</c> and a span per call).
    /// </summary>
    public const string TelemetrySourceName = "Parley.Llm";

    /// <summary>Whether an endpoint is configured; without one, bots answer offline.</summary>
    public bool IsConfigured => _endpoint.IsConfigured;

    /// <summary>The model id configured for the endpoint itself (<c>OpenAI:Model</c>), or null.</summary>
    public string? ConfiguredModel => string.IsNullOrWhiteSpace(_endpoint.Model) ? null : _endpoint.Model;

    /// <summary>
    /// The model <paramref name="pack"/> generates with: the configured model, else the bot's <c>model.id</c>, else
    /// <see cref="LlmEndpointOptions.DefaultModel"/>; null when no endpoint is configured.
    /// </summary>
    public string? ModelFor(BotPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return IsConfigured ? ConfiguredModel ?? pack.Manifest.Model.Id ?? LlmEndpointOptions.DefaultModel : null;
    }

    /// <summary>A chat client for <paramref name="model"/> on the configured endpoint, with retries.</summary>
    /// <param name="model">The model id.</param>
    /// <exception cref="OptionsValidationException">The endpoint settings are invalid.</exception>
    public IChatClient Create(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var options = new OpenAIEndpointOptions
        {
            BaseUrl = string.IsNullOrWhiteSpace(_endpoint.BaseUrl) ? null : new Uri(_endpoint.BaseUrl, UriKind.Absolute),
            ApiKey = _endpoint.ApiKey,
            Model = model,
            AttemptTimeout = TimeSpan.FromSeconds(_endpoint.TimeoutSeconds),
        };
        IChatClient client;
        try
        {
            client = OpenAIChatClientFactory.CreatePipeline(
                options,
                retry =>
                {
                    retry.MaxAttempts = _retry.MaxAttempts;
                    retry.Deadline = TimeSpan.FromSeconds(_retry.DeadlineSeconds);
                },
                loggerFactory: _loggerFactory,
                // GenAI semantic-convention spans and metrics (operation duration, token usage) for each call, retries
                // included; prompts and replies are not recorded.
                telemetrySourceName: TelemetrySourceName);
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException(LlmEndpointOptions.SectionName, typeof(LlmEndpointOptions), [$"invalid endpoint settings: {e.Message}"]);
        }

        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }

            _clients.Clear();
        }
    }
}
