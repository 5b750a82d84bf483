using Microsoft.Extensions.Options;

namespace Parley.Hosting;

/// <summary>Checks <see cref="LlmEndpointOptions"/>; failures name the setting as it is written in configuration.</summary>
public sealed class LlmEndpointOptionsValidator : IValidateOptions<LlmEndpointOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LlmEndpointOptions options)
    {
        List<string> failures = [];
        if (!string.IsNullOrWhiteSpace(options.BaseUrl) &&
            !(Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            failures.Add($"the base URL '{options.BaseUrl}' is not an absolute http(s) URL (expected e.g. http://localhost:11434/v1)");
        }

        if (!double.IsFinite(options.TimeoutSeconds) || options.TimeoutSeconds <= 0)
        {
            failures.Add($"OpenAI:TimeoutSeconds must be a positive number of seconds (was {options.TimeoutSeconds})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
