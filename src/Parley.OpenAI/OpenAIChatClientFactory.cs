using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;
using Parley.Core.Resilience;

namespace Parley.OpenAI;

/// <summary>Creates Microsoft.Extensions.AI clients for an OpenAI-compatible endpoint, on the official OpenAI SDK.</summary>
/// <remarks>
/// The SDK's own retry policy is turned off: retries belong to <see cref="RetryingChatClient"/>, and two retry
/// layers would multiply the attempts.
/// </remarks>
public static class OpenAIChatClientFactory
{
    /// <summary>A chat client for <paramref name="options"/>, without retries (see <see cref="CreatePipeline"/>).</summary>
    /// <param name="options">The endpoint; validated here.</param>
    /// <param name="httpClient">The HTTP client to send with; <see langword="null"/> for the SDK's shared one. Not disposed by the client.</param>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public static IChatClient Create(OpenAIEndpointOptions options, HttpClient? httpClient = null) =>
        CreateOpenAIClient(options, httpClient).GetChatClient(options.Model).AsIChatClient();

    /// <summary>
    /// A chat client for <paramref name="options"/> behind <see cref="RetryingChatClient"/>, which classifies the
    /// SDK's errors with <see cref="OpenAITransientFailureClassifier"/> and honours Retry-After.
    /// </summary>
    /// <param name="options">The endpoint; validated here.</param>
    /// <param name="configureRetry">Changes the retry defaults; runs after the OpenAI classifier is set, so it may replace it.</param>
    /// <param name="httpClient">The HTTP client to send with; <see langword="null"/> for the SDK's shared one.</param>
    /// <param name="loggerFactory">Creates the retry logger; optional.</param>
    /// <param name="telemetrySourceName">
    /// When set, each call records OpenTelemetry GenAI spans and metrics under this source and meter name
    /// (Microsoft.Extensions.AI's <c>UseOpenTelemetry</c>, prompts and replies not recorded); null for none.
    /// </param>
    /// <remarks>
    /// The client also offers an <see cref="OpenAIChatForwarder"/> for the same endpoint, retries and telemetry
    /// (<c>GetService&lt;OpenAIChatForwarder&gt;()</c>), which relays a client's request body as it is.
    /// </remarks>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public static IChatClient CreatePipeline(
        OpenAIEndpointOptions options,
        Action<RetryOptions>? configureRetry = null,
        HttpClient? httpClient = null,
        ILoggerFactory? loggerFactory = null,
        string? telemetrySourceName = null)
    {
        var retry = new RetryOptions();
        retry.Classifier = exception => OpenAITransientFailureClassifier.Classify(exception, retry.TimeProvider);
        retry.Describer = OpenAITransientFailureClassifier.Describe;
        configureRetry?.Invoke(retry);
        var builder = new ChatClientBuilder(Create(options, httpClient));
        if (telemetrySourceName is not null)
        {
            // Added first, so outermost: one span per call, its retries included.
            builder.UseOpenTelemetry(loggerFactory, telemetrySourceName, c => c.EnableSensitiveData = false);
        }

        builder.UseRetries(retry, loggerFactory);

        var forwarder = new OpenAIChatForwarder(options, retry, httpClient, loggerFactory, telemetrySourceName);
        return new ForwardingChatClient(builder.Build(), forwarder);
    }

    /// <summary>An embedding generator for <paramref name="embeddingModel"/> on the same endpoint, without retries.</summary>
    /// <param name="options">The endpoint; validated here (its <see cref="OpenAIEndpointOptions.Model"/> is not used).</param>
    /// <param name="embeddingModel">The embedding model, e.g. "text-embedding-3-small" or "nomic-embed-text".</param>
    /// <param name="httpClient">The HTTP client to send with; <see langword="null"/> for the SDK's shared one.</param>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(
        OpenAIEndpointOptions options, string embeddingModel, HttpClient? httpClient = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(embeddingModel);
        return CreateOpenAIClient(options, httpClient).GetEmbeddingClient(embeddingModel).AsIEmbeddingGenerator();
    }

    private static OpenAIClient CreateOpenAIClient(OpenAIEndpointOptions options, HttpClient? httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clientOptions = new OpenAIClientOptions
        {
            NetworkTimeout = options.AttemptTimeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (options.BaseUrl is not null)
        {
            clientOptions.Endpoint = options.BaseUrl;
        }

        if (options.OrganizationId is not null)
        {
            clientOptions.OrganizationId = options.OrganizationId;
        }

        if (httpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }

        if (options.ApiKey is not null)
        {
            return new OpenAIClient(new ApiKeyCredential(options.ApiKey), clientOptions);
        }

        // Without a key, send no Authorization header rather than a fake one: local servers ignore it, and
        // api.openai.com then answers "You didn't provide an API key", which says what to do. The constructor
        // taking a policy is marked for evaluation (OPENAI001); a change to it would break the build, not behaviour.
#pragma warning disable OPENAI001
        return new OpenAIClient(NoAuthenticationPolicy.Instance, clientOptions);
#pragma warning restore OPENAI001
    }
}
