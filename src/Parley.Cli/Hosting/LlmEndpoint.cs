using Microsoft.Extensions.AI;
using Parley.OpenAI;

namespace Parley.Cli.Hosting;

/// <summary>The configured OpenAI-compatible endpoint as a chat client, with retries within the deadline.</summary>
internal static class LlmEndpoint
{
    /// <summary>Creates the client for <paramref name="model"/> from the endpoint and retry settings.</summary>
    /// <exception cref="CliException">The base URL or another endpoint setting is invalid.</exception>
    public static IChatClient Create(ParleySettings settings, string model)
    {
        Uri? baseUrl = null;
        if (!string.IsNullOrWhiteSpace(settings.OpenAI.BaseUrl) && !Uri.TryCreate(settings.OpenAI.BaseUrl, UriKind.Absolute, out baseUrl))
        {
            throw new CliException($"the base URL '{settings.OpenAI.BaseUrl}' is not an absolute URL (expected e.g. http://localhost:11434/v1)");
        }

        var endpoint = new OpenAIEndpointOptions
        {
            BaseUrl = baseUrl,
            ApiKey = settings.OpenAI.ApiKey,
            Model = model,
            AttemptTimeout = TimeSpan.FromSeconds(settings.OpenAI.TimeoutSeconds),
        };
        try
        {
            endpoint.Validate();
            return OpenAIChatClientFactory.CreatePipeline(endpoint, retry =>
            {
                retry.MaxAttempts = settings.Retry.MaxAttempts;
                retry.Deadline = TimeSpan.FromSeconds(settings.Retry.DeadlineSeconds);
            });
        }
        catch (ArgumentException e)
        {
            throw new CliException($"invalid endpoint settings: {e.Message}", e);
        }
    }
}
