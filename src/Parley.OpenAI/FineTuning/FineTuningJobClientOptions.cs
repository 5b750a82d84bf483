namespace Parley.OpenAI.FineTuning;

/// <summary>Where <see cref="FineTuningJobClient"/> sends its requests, and how it retries and polls.</summary>
public sealed class FineTuningJobClientOptions
{
    /// <summary>The default <see cref="BaseUrl"/>: a local Parley server as <c>parley serve</c> starts it.</summary>
    public static readonly Uri DefaultBaseUrl = new("http://127.0.0.1:8080/v1");

    /// <summary>
    /// The API base address, ending in <c>/v1</c>: a Parley server (default <see cref="DefaultBaseUrl"/>) or
    /// <c>https://api.openai.com/v1</c>.
    /// </summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The API key, sent as <c>Authorization: Bearer …</c>; <see langword="null"/> (default) sends none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Attempts per request, the first included. Default 4; at least 1.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The time one request may take with all its retries and waits. Default 60 s; greater than zero.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The wait before the first retry; it doubles up to <see cref="MaxRetryDelay"/>. Default 0.5 s.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest wait between retries. Default 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one HTTP attempt may take. Default 100 s, the OpenAI SDK's own.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The wait between two polls of a job while following it. Default 2 s; greater than zero.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock for retry waits, deadlines and polling. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks every setting and throws an <see cref="ArgumentException"/> naming the first one that is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The base URL '{BaseUrl}' must be an absolute http or https URL, e.g. {DefaultBaseUrl}.", nameof(BaseUrl));
        }

        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException("The API key is blank; set it, or leave it null for a server that needs none.", nameof(ApiKey));
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"MaxAttempts must be at least 1; it is {MaxAttempts}.", nameof(MaxAttempts));
        }

        foreach (var (name, value) in new[] { (nameof(Deadline), Deadline), (nameof(AttemptTimeout), AttemptTimeout), (nameof(PollInterval), PollInterval) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"{name} must be greater than zero; it is {value}.", name);
            }
        }

        if (InitialRetryDelay < TimeSpan.Zero || MaxRetryDelay < InitialRetryDelay)
        {
            throw new ArgumentException($"Retry delays must satisfy 0 <= InitialRetryDelay <= MaxRetryDelay; they are {InitialRetryDelay} and {MaxRetryDelay}.", nameof(InitialRetryDelay));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
