using System.CommandLine;
using System.Globalization;
using Parley.Cli.Hosting;
using Parley.OpenAI.FineTuning;

namespace Parley.Cli.Commands;

/// <summary>
/// The options every <c>parley finetune</c> subcommand shares (<c>--base-url --api-key --json</c>, recursive) and the
/// endpoint they resolve to: flags, then settings (OPENAI_BASE_URL, OPENAI_API_KEY, appsettings.json), then a local
/// Parley server at <see cref="FineTuningJobClientOptions.DefaultBaseUrl"/>.
/// </summary>
internal sealed class FineTuneEndpointOptions
{
    public Option<string?> BaseUrl { get; } = new("--base-url")
    {
        Description = $"The OpenAI-compatible endpoint, e.g. https://api.openai.com/v1 (default: OPENAI_BASE_URL or the settings, else a local Parley server at {FineTuningJobClientOptions.DefaultBaseUrl}, what 'parley serve' listens on; never api.openai.com unless asked).",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "The API key (default: OPENAI_API_KEY or the settings; none for a local server).", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON in OpenAI's snake_case shapes.", Recursive = true };

    public void AddTo(Command command)
    {
        command.Options.Add(BaseUrl);
        command.Options.Add(ApiKey);
        command.Options.Add(Json);
    }

    /// <summary>The settings with the endpoint resolved: base URL and API key from the flags, the settings or the local default.</summary>
    /// <exception cref="CliException">The base URL is not an absolute http(s) URL.</exception>
    public (ParleySettings Settings, Uri BaseUrl) Resolve(ParseResult result, CliContext context)
    {
        if (result.GetValue(BaseUrl) is { } flag && !IsHttpUrl(flag, out _))
        {
            throw InvalidUrl(flag);
        }

        var settings = SettingsLoader.Load(context, [new("OpenAI:BaseUrl", result.GetValue(BaseUrl)), new("OpenAI:ApiKey", result.GetValue(ApiKey))]);
        var url = FineTuningJobClientOptions.DefaultBaseUrl;
        if (!string.IsNullOrWhiteSpace(settings.OpenAI.BaseUrl) && !IsHttpUrl(settings.OpenAI.BaseUrl, out url))
        {
            throw InvalidUrl(settings.OpenAI.BaseUrl);
        }

        settings.OpenAI.BaseUrl = url.ToString();
        return (settings, url);
    }

    private static bool IsHttpUrl(string text, out Uri url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static CliException InvalidUrl(string text) =>
        new($"the base URL '{text}' is not an absolute http(s) URL (expected e.g. {FineTuningJobClientOptions.DefaultBaseUrl})", exitCode: ExitCodes.Usage);

    /// <summary>A job client for the resolved endpoint, with the retry settings of <c>parley</c> (Parley:Retry).</summary>
    public FineTuningJobClient CreateClient(ParseResult result, CliContext context, double? pollSeconds = null)
    {
        var (settings, url) = Resolve(result, context);
        var options = new FineTuningJobClientOptions
        {
            BaseUrl = url,
            ApiKey = string.IsNullOrWhiteSpace(settings.OpenAI.ApiKey) ? null : settings.OpenAI.ApiKey,
            MaxAttempts = settings.Parley.Retry.MaxAttempts,
            Deadline = TimeSpan.FromSeconds(settings.Parley.Retry.DeadlineSeconds),
            AttemptTimeout = TimeSpan.FromSeconds(settings.OpenAI.TimeoutSeconds),
        };
        if (pollSeconds is { } seconds)
        {
            if (!double.IsFinite(seconds) || seconds <= 0)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--poll-interval must be greater than 0 seconds; it is {seconds}"), exitCode: ExitCodes.Usage);
            }

            options.PollInterval = TimeSpan.FromSeconds(seconds);
        }

        try
        {
            return new FineTuningJobClient(options);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"invalid endpoint settings: {e.Message}", e);
        }
    }
}
