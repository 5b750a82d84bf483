using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Parley.Hosting;
using Parley.Server.Security;

namespace Parley.Server.Hosting;

/// <summary>
/// The two server settings whose configuration form differs from the option: <c>ShutdownTimeoutSeconds</c> (a number
/// of seconds, for <see cref="ParleyServerOptions.ShutdownTimeout"/>) and <c>ApiKeysFile</c> (whose keys are added to
/// <see cref="ParleyServerOptions.ApiKeys"/>). Runs after the section is bound and before configuration in code.
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

        if (section["ApiKeysFile"] is { Length: > 0 } file)
        {
            var path = Path.GetFullPath(file, parley.Value.BaseDirectory ?? Environment.CurrentDirectory);
            IReadOnlyList<string> keys;
            try
            {
                keys = ApiKeyFile.Read(path);
            }
            catch (ArgumentException e)
            {
                throw new OptionsValidationException(ParleyServerOptions.SectionName, typeof(ParleyServerOptions), [e.Message]);
            }

            // A keys file was meant to protect the API: one without keys must not leave it open.
            if (keys.Count == 0)
            {
                throw new OptionsValidationException(ParleyServerOptions.SectionName, typeof(ParleyServerOptions),
                    [$"the API keys file '{path}' holds no keys (only blank lines or '#' comments): put one key per line, or leave ApiKeysFile (--api-keys-file) out to serve an open API"]);
            }

            foreach (var key in keys)
            {
                options.ApiKeys.Add(key);
            }
        }
    }
}
