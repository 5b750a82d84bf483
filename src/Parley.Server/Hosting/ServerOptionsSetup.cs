using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Parley.Hosting;
using Parley.Server.Security;

namespace Parley.Server.Hosting;

/// <summary>
/// The two server settings whose configuration form differs from the option: <c>ShutdownTimeoutSeconds</c> (a number
/// of seconds, for <see cref="ParleyServerOptions.ShutdownTimeout"/>), <c>ApiKeysFile</c> and <c>AdminApiKeysFile</c> (whose
/// keys are added to <see cref="ParleyServerOptions.ApiKeys"/> and <see cref="ParleyServerOptions.AdminApiKeys"/>). Runs after the section is bound and before configuration in code.
/// </summary>
internal sealed class ServerOptionsSetup(IConfiguration configuration, IOptions<ParleyOptions> parley) : IConfigureOptions<ParleyServerOptions>
{
    public void Configure(ParleyServerOptions options)
    {
        var section = configuration.GetSection(ParleyServerOptions.SectionName);
        if (section["ShutdownTimeoutSeconds"] is { Length: > 0 } text)
        {
            options.ShutdownTimeout = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds)
                : throw new OptionsValidationException(ParleyServerOptions.SectionName, typeof(ParleyServerOptions), [$"{ParleyServerOptions.SectionName}:ShutdownTimeoutSeconds must be a number of seconds, 0 or more (was '{text}')"]);
        }

        AddKeysFromFile(section, "ApiKeysFile", "--api-keys-file", options.ApiKeys);
        AddKeysFromFile(section, "AdminApiKeysFile", "--admin-api-keys-file", options.AdminApiKeys);
    }

    private void AddKeysFromFile(IConfigurationSection section, string setting, string flag, IList<string> keys)
    {
        if (section[setting] is not { Length: > 0 } file)
        {
            return;
        }

        var path = Path.GetFullPath(file, parley.Value.BaseDirectory ?? Environment.CurrentDirectory);
        IReadOnlyList<string> read;
        try
        {
            read = ApiKeyFile.Read(path);
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException(ParleyServerOptions.SectionName, typeof(ParleyServerOptions), [e.Message]);
        }

        // A keys file was meant to protect the API: one without keys must not leave it open.
        if (read.Count == 0)
        {
            throw new OptionsValidationException(ParleyServerOptions.SectionName, typeof(ParleyServerOptions),
                [$"the API keys file '{path}' holds no keys (only blank lines or '#' comments): put one key per line, or leave {setting} ({flag}) out"]);
        }

        foreach (var key in read)
        {
            keys.Add(key);
        }
    }
}
