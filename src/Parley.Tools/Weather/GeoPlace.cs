namespace Parley.Tools.Weather;

/// <summary>A place found by the geocoding API.</summary>
/// <param name="Name">The place's name.</param>
/// <param name="Country">Its country, when given.</param>
/// <param name="Latitude">Latitude in degrees.</param>
/// <param name="Longitude">Longitude in degrees.</param>
/// <param name="TimeZone">Its IANA time zone, when given.</param>
public sealed record GeoPlace(string Name, string? Country, double Latitude, double Longitude, string? TimeZone);
