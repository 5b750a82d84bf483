using Parley.Core.Calendar;

namespace Parley.Bots.Tools;

/// <summary>What a bot's tools run on, given through <c>BotBuildOptions.Tools</c>.</summary>
public sealed class BotToolServices
{
    /// <summary>Where calendar events are kept; required when the pack declares calendar tools.</summary>
    public ICalendarStore? Calendar { get; init; }

    /// <summary>The clock for date phrases and the calendar. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// A base URL for both weather APIs that overrides the pack's <c>forecast_url</c>/<c>geocoding_url</c> (for example a
    /// local Open-Meteo-compatible service); null to use the pack's.
    /// </summary>
    public Uri? WeatherBaseUrl { get; init; }

    /// <summary>The HTTP client for web tools (weather) and HTTP MCP servers; null for one of the bot's own.</summary>
    public HttpClient? Http { get; init; }

    /// <summary>
    /// Hears what the user should know about the tools while the bot starts (an MCP server that could not be reached,
    /// whose tools are left out); null to ignore.
    /// </summary>
    public IProgress<string>? Warnings { get; init; }
}
