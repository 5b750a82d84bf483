namespace Parley.Tools.Weather;

/// <summary>The weather at a place: now, and per day.</summary>
/// <param name="Place">Where.</param>
/// <param name="CurrentTemperature">The temperature now, °C.</param>
/// <param name="CurrentCode">The WMO weather code now.</param>
/// <param name="CurrentWind">The wind speed now, km/h.</param>
/// <param name="Days">The daily forecast, today first.</param>
public sealed record WeatherForecast(GeoPlace Place, double? CurrentTemperature, int? CurrentCode, double? CurrentWind, IReadOnlyList<DailyWeather> Days);

/// <summary>One day of a forecast.</summary>
/// <param name="Date">The day, in the place's time zone.</param>
/// <param name="Code">The WMO weather code.</param>
/// <param name="Min">The lowest temperature, °C.</param>
/// <param name="Max">The highest temperature, °C.</param>
/// <param name="PrecipitationChance">The highest chance of precipitation, %.</param>
public sealed record DailyWeather(DateOnly Date, int? Code, double? Min, double? Max, double? PrecipitationChance);
