using Microsoft.Extensions.Configuration;
using Parley.Hosting;

namespace Parley.Cli.Hosting;

/// <summary>
/// The settings of a run of <c>parley</c> (see the configuration table in the README): the layered configuration, and
/// the sections the commands read directly, bound and validated as the hosting library binds them.
/// </summary>
public sealed class ParleySettings
{
    /// <summary>Binds and validates the sections of <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">A value has the wrong type.</exception>
    /// <exception cref="CliException">A value is out of range.</exception>
    public ParleySettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        Parley = configuration.GetSection(ParleyOptions.SectionName).Get<ParleyOptions>() ?? new ParleyOptions();
        OpenAI = configuration.GetSection(LlmEndpointOptions.SectionName).Get<LlmEndpointOptions>() ?? new LlmEndpointOptions();
        foreach (var result in new[] { new ParleyOptionsValidator().Validate(null, Parley), new LlmEndpointOptionsValidator().Validate(null, OpenAI) })
        {
            if (result.Failed)
            {
                throw new CliException($"invalid settings: {result.FailureMessage}");
            }
        }
    }

    /// <summary>The layered configuration (files, environment, flags), for the hosting library to bind.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The <c>Parley</c> section: bot, database, data folder, token encoding, retries.</summary>
    public ParleyOptions Parley { get; }

    /// <summary>The <c>OpenAI</c> section: the LLM endpoint.</summary>
    public LlmEndpointOptions OpenAI { get; }

    /// <summary>The data folder in effect.</summary>
    public ParleyDataFolder DataFolder => Parley.GetDataFolder();

    /// <summary>The database in effect (a SQLite file or PostgreSQL), to open the stores on.</summary>
    /// <exception cref="CliException">A PostgreSQL connection string cannot be read.</exception>
    public ParleyDatabase Database()
    {
        try
        {
            return new ParleyDatabase(Parley);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"invalid settings: Parley:Database: {e.Message}");
        }
    }
}
