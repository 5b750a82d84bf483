namespace Parley.Tools.Weather;

/// <summary>Where and how <see cref="OpenMeteoClient"/> calls an Open-Meteo-compatible weather service.</summary>
public sealed class OpenMeteoOptions
{
    /// <summary>The forecast API's base URL. Default <c>https://api.open-meteo.com/</c> (the client calls <c>v1/forecast</c> under it).</summary>
    public Uri ForecastBaseUrl { get; set; } = new("https://api.open-meteo.com/");

    /// <summary>The geocoding API's base URL. Default <c>https://geocoding-api.open-meteo.com/</c> (the client calls <c>v1/search</c> under it).</summary>
    public Uri GeocodingBaseUrl { get; set; } = new("https://geocoding-api.open-meteo.com/");

    /// <summary>Time allowed for one weather question, retries included. Default 10 seconds.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per HTTP call (failed connections, 5xx and 429 are retried within <see cref="Deadline"/>). Default 2.</summary>
    public int MaxAttempts { get; set; } = 2;

    /// <summary>The wait before the first retry, varied by ±25 %; later ones double, up to four times it. Default 0.2 s; zero or more.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(0.2);

    /// <summary>Throws when an option is invalid.</summary>
    public void Validate()
    {
        foreach (var (name, url) in new[] { (nameof(ForecastBaseUrl), ForecastBaseUrl), (nameof(GeocodingBaseUrl), GeocodingBaseUrl) })
        {
            if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"{name} must be an absolute http or https URL (got '{url}').", name);
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Deadline, TimeSpan.Zero, nameof(Deadline));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialRetryDelay, TimeSpan.Zero, nameof(InitialRetryDelay));
    }
}
