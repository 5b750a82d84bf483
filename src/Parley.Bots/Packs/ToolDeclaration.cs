namespace Parley.Bots.Packs;

/// <summary>A tool a bot may use, from the manifest's <c>tools:</c> list.</summary>
public sealed class ToolDeclaration
{
    /// <summary>The built-in tool's name (for example <c>weather</c> or <c>calendar_create</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Whether the tool needs the user's approval; null for the tool's default (calendar changes do).</summary>
    public bool? RequireApproval { get; init; }

    /// <summary>For <c>weather</c>: the forecast API's base URL; null for Open-Meteo's.</summary>
    public Uri? ForecastUrl { get; init; }

    /// <summary>For <c>weather</c>: the geocoding API's base URL; null for Open-Meteo's.</summary>
    public Uri? GeocodingUrl { get; init; }

    /// <summary>For <c>order_status</c>: the order book, relative to the pack.</summary>
    public string? Orders { get; init; }

    /// <summary>Where the tool is declared, for messages: <c>file:line</c>.</summary>
    public string Location { get; init; } = "";
}
