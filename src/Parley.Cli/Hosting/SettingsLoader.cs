using Microsoft.Extensions.Configuration;
using Parley.Hosting;

namespace Parley.Cli.Hosting;

/// <summary>Reads the settings of a run of <c>parley</c>: files, then the environment, then flags.</summary>
public static class SettingsLoader
{
    /// <summary>Environment variables with a meaning of their own, and the setting each one sets.</summary>
    public static readonly IReadOnlyDictionary<string, string> WellKnownVariables = new Dictionary<string, string>
    {
        ["OPENAI_API_KEY"] = "OpenAI:ApiKey",
        ["OPENAI_BASE_URL"] = "OpenAI:BaseUrl",
        ["PARLEY_MODEL"] = "OpenAI:Model",
        ["PARLEY_BOT"] = "Parley:Bot",
        ["PARLEY_DB"] = "Parley:Database",
        [Core.ParleyPaths.DataDirectoryVariable] = "Parley:DataDirectory",
    };

    /// <summary>
    /// Loads settings: <c>appsettings.json</c> next to the program, then in the working folder, then environment
    /// variables (<c>Parley__Retry__MaxAttempts</c> style, then the well-known ones), then <paramref name="flags"/>
    /// (settings given on the command line; null values are left out).
    /// </summary>
    /// <exception cref="CliException">A settings file is not valid JSON or a value has the wrong type.</exception>
    public static ParleySettings Load(CliContext context, IEnumerable<KeyValuePair<string, string?>>? flags = null)
    {
        var given = new FlagSettings();
        foreach (var (key, value) in flags ?? [])
        {
            given.Set(key, value);
        }

        return Load(context, given);
    }

    /// <summary>Loads settings as <see cref="Load(CliContext, IEnumerable{KeyValuePair{string, string}})"/> does, with <paramref name="flags"/> last.</summary>
    /// <exception cref="CliException">A settings file is not valid JSON or a value has the wrong type.</exception>
    internal static ParleySettings Load(CliContext context, FlagSettings flags)
    {
        var variables = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [$"{ParleyOptions.SectionName}:{nameof(ParleyOptions.BaseDirectory)}"] = context.CurrentDirectory,
        };
        foreach (var (name, value) in context.Environment)
        {
            if (name.Contains("__", StringComparison.Ordinal) &&
                (name.StartsWith("Parley__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("OpenAI__", StringComparison.OrdinalIgnoreCase)))
            {
                variables[name.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var (name, key) in WellKnownVariables)
        {
            if (context.GetEnvironmentVariable(name) is { } value)
            {
                variables[key] = value;
            }
        }

        var files = new[] { Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(context.CurrentDirectory, "appsettings.json") }
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal);
        var builder = new ConfigurationBuilder();
        foreach (var file in files)
        {
            builder.AddJsonFile(file, optional: true, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(variables);
        builder.Add(flags);
        try
        {
            return new ParleySettings(builder.Build());
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException)
        {
            throw new CliException($"cannot read settings: {e.Message}", e);
        }
    }
}
