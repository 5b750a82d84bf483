namespace Parley.Hosting;

/// <summary>
/// The OpenAI-compatible endpoint bots send generation to (section <c>OpenAI</c>). Generation stays offline unless a
/// base URL or an API key is set.
/// </summary>
public sealed class LlmEndpointOptions
{
    /// <summary>The configuration section these options are bound from: <c>OpenAI</c>.</summary>
    public const string SectionName = "OpenAI";

    /// <summary>The model used when neither the settings nor the bot name one: <c>gpt-4o-mini</c>.</summary>
    public const string DefaultModel = Parley.OpenAI.OpenAIEndpointOptions.DefaultModel;

    /// <summary>The base URL, e.g. <c>http://localhost:11434/v1</c>. Default: null, api.openai.com when an API key is set.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API key. Default: null (optional for local servers).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model id. Default: null, the bot's <c>model.id</c>, else <see cref="DefaultModel"/>.</summary>
    public string? Model { get; set; }

    /// <summary>How long one HTTP attempt may take, in seconds. Default 100.</summary>
    public double TimeoutSeconds { get; set; } = 100;

    /// <summary>Whether an endpoint is configured (a base URL or an API key).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl) || !string.IsNullOrWhiteSpace(ApiKey);
}
