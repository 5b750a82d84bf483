namespace Parley.Tools.Weather;

/// <summary>Words for the WMO weather interpretation codes Open-Meteo reports.</summary>
public static class WeatherCodes
{
    /// <summary>A short description of <paramref name="code"/>.</summary>
    public static string Describe(int? code) => code switch
    {
        0 => "clear sky",
        1 => "mainly clear",
        2 => "partly cloudy",
        3 => "overcast",
        45 or 48 => "fog",
        51 or 53 or 55 => "drizzle",
        56 or 57 => "freezing drizzle",
        61 => "light rain",
        63 => "rain",
        65 => "heavy rain",
        66 or 67 => "freezing rain",
        71 => "light snow",
        73 => "snow",
        75 => "heavy snow",
        77 => "snow grains",
        80 or 81 => "rain showers",
        82 => "violent rain showers",
        85 or 86 => "snow showers",
        95 => "thunderstorms",
        96 or 99 => "thunderstorms with hail",
        null => "unknown conditions",
        _ => $"weather code {code}",
    };
}
