namespace Parley.OpenAI;

/// <summary>
/// Where and how to reach an OpenAI-compatible chat endpoint: api.openai.com, or a local server such as Ollama,
/// llama.cpp or vLLM.
/// </summary>
public sealed class OpenAIEndpointOptions
{
    /// <summary>The model <see cref="FromEnvironment"/> uses when PARLEY_MODEL is unset: "gpt-4o-mini".</summary>
    public const string DefaultModel = "gpt-4o-mini";

    /// <summary>The environment variable holding the API key.</summary>
    public const string ApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>The environment variable holding the base URL.</summary>
    public const string BaseUrlVariable = "OPENAI_BASE_URL";

    /// <summary>The environment variable holding the model name.</summary>
    public const string ModelVariable = "PARLEY_MODEL";

    /// <summary>Default <see cref="AttemptTimeout"/>: 100 s, the OpenAI SDK's own default.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The API base address, used as given: OpenAI-compatible servers expect it to end in <c>/v1</c>, e.g.
    /// <c>http://localhost:11434/v1</c> for Ollama or <c>http://localhost:8080/v1</c> for llama.cpp.
    /// <see langword="null"/> (default) means https://api.openai.com/v1.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// The API key, sent as <c>Authorization: Bearer …</c>. Optional: local servers need none, and when it is
    /// <see langword="null"/> no Authorization header is sent at all.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The model name, e.g. "gpt-4o-mini" or "llama3.2". Required.</summary>
    public required string Model { get; set; }

    /// <summary>
    /// How long one HTTP attempt may take (the SDK's network timeout, which also bounds each read of a stream).
    /// Default 100 s; greater than zero or <see cref="Timeout.InfiniteTimeSpan"/>. The overall time for all
    /// attempts is <c>RetryOptions.Deadline</c>.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = DefaultAttemptTimeout;

    /// <summary>The OpenAI organization id, sent as <c>OpenAI-Organization</c>; optional.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>Reads OPENAI_API_KEY, OPENAI_BASE_URL and PARLEY_MODEL (default "gpt-4o-mini"); empty values count as unset.</summary>
    /// <param name="getEnvironmentVariable">Looks a variable up; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>Validated options.</returns>
    /// <exception cref="ArgumentException">OPENAI_BASE_URL is not an absolute http(s) URL.</exception>
    public static OpenAIEndpointOptions FromEnvironment(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => getEnvironmentVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        Uri? baseUrl = null;
        if (Read(BaseUrlVariable) is { } url && !Uri.TryCreate(url, UriKind.Absolute, out baseUrl))
        {
            throw new ArgumentException($"{BaseUrlVariable} '{url}' is not an absolute URL; set it like http://localhost:11434/v1.", nameof(getEnvironmentVariable));
        }

        var options = new OpenAIEndpointOptions { ApiKey = Read(ApiKeyVariable), BaseUrl = baseUrl, Model = Read(ModelVariable) ?? DefaultModel };
        options.Validate();
        return options;
    }

    /// <summary>Checks every setting and throws an <see cref="ArgumentException"/> naming the first one that is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException($"The model name is missing; set OpenAIEndpointOptions.Model (or {ModelVariable}), e.g. gpt-4o-mini.", nameof(Model));
        }

        if (BaseUrl is not null && (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"The base URL '{BaseUrl}' must be an absolute http or https URL, e.g. http://localhost:11434/v1.", nameof(BaseUrl));
        }

        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException("The API key is blank; set it, or leave it null for a server that needs none.", nameof(ApiKey));
        }

        if (AttemptTimeout != Timeout.InfiniteTimeSpan && AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"AttemptTimeout must be greater than zero or Timeout.InfiniteTimeSpan; it is {AttemptTimeout}.", nameof(AttemptTimeout));
        }

        if (OrganizationId is not null && string.IsNullOrWhiteSpace(OrganizationId))
        {
            throw new ArgumentException("The organization id is blank; set it or leave it null.", nameof(OrganizationId));
        }
    }
}
