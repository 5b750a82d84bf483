using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Parley.Core.Resilience;

namespace Parley.Tools.Weather;

/// <summary>
/// A client of an Open-Meteo-compatible weather service: <c>/v1/search</c> (geocoding) and <c>/v1/forecast</c>. Failed
/// connections, 5xx and 429 answers are retried through a <see cref="RetryPipeline"/> (backoff with jitter) within
/// <see cref="OpenMeteoOptions.Deadline"/>; when the service cannot be reached, a <see cref="ToolException"/> says "the
/// weather service is unreachable".
/// </summary>
public sealed class OpenMeteoClient
{
    /// <summary>The start of the message when the service cannot be reached.</summary>
    public const string UnreachableMessage = "The weather service is unreachable";

    private readonly HttpClient _http;
    private readonly OpenMeteoOptions _options;
    private readonly RetryPipeline _retry;

    /// <summary>Creates the client.</summary>
    /// <param name="http">The HTTP client (its own timeout should be at least <see cref="OpenMeteoOptions.Deadline"/>).</param>
    /// <param name="options">Where the service is; validated here.</param>
    public OpenMeteoClient(HttpClient http, OpenMeteoOptions options)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _retry = new RetryPipeline(new RetryOptions
        {
            MaxAttempts = options.MaxAttempts,
            Deadline = options.Deadline,
            InitialDelay = options.InitialRetryDelay,
            MaxDelay = options.InitialRetryDelay * 4,
            Classifier = Classify,
        });
    }

    /// <summary>Finds a place by name; null when the service knows none.</summary>
    public async Task<GeoPlace?> GeocodeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var url = new Uri(_options.GeocodingBaseUrl, $"v1/search?name={Uri.EscapeDataString(name.Trim())}&count=1&language=en&format=json");
        using var json = await GetJsonAsync(url, cancellationToken).ConfigureAwait(false);
        if (!json.RootElement.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array || results.GetArrayLength() == 0)
        {
            return null;
        }

        var first = results[0];
        return new GeoPlace(
            first.GetProperty("name").GetString() ?? name,
            first.TryGetProperty("country", out var country) ? country.GetString() : null,
            first.GetProperty("latitude").GetDouble(),
            first.GetProperty("longitude").GetDouble(),
            first.TryGetProperty("timezone", out var zone) ? zone.GetString() : null);
    }

    /// <summary>The current weather and a daily forecast for <paramref name="place"/>.</summary>
    /// <param name="place">Where.</param>
    /// <param name="days">How many days, 1 to 16.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<WeatherForecast> ForecastAsync(GeoPlace place, int days = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(place);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, 16);
        var query = string.Create(CultureInfo.InvariantCulture,
            $"v1/forecast?latitude={place.Latitude}&longitude={place.Longitude}&current=temperature_2m,weather_code,wind_speed_10m" +
            $"&daily=weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max&timezone=auto&forecast_days={days}");
        using var json = await GetJsonAsync(new Uri(_options.ForecastBaseUrl, query), cancellationToken).ConfigureAwait(false);
        var root = json.RootElement;
        double? temperature = null, wind = null;
        int? code = null;
        if (root.TryGetProperty("current", out var current))
        {
            temperature = Number(current, "temperature_2m");
            wind = Number(current, "wind_speed_10m");
            code = (int?)Number(current, "weather_code");
        }

        var daily = new List<DailyWeather>();
        if (root.TryGetProperty("daily", out var day) && day.TryGetProperty("time", out var times))
        {
            for (var i = 0; i < times.GetArrayLength(); i++)
            {
                daily.Add(new DailyWeather(
                    DateOnly.ParseExact(times[i].GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    (int?)Number(day, "weather_code", i), Number(day, "temperature_2m_min", i), Number(day, "temperature_2m_max", i),
                    Number(day, "precipitation_probability_max", i)));
            }
        }

        return new WeatherForecast(place, temperature, code, wind, daily);
    }

    private static double? Number(JsonElement parent, string name, int? index = null)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (index is { } i)
        {
            value = value.ValueKind == JsonValueKind.Array && i < value.GetArrayLength() ? value[i] : default;
        }

        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    }

    private async Task<JsonDocument> GetJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(token => GetOnceAsync(url, token), cancellationToken).ConfigureAwait(false);
        }
        catch (UpstreamException e) when (e.InnerException is ToolException answered)
        {
            // The service answered, and the answer says what went wrong (a refusal, or not JSON).
            ExceptionDispatchInfo.Throw(answered);
            throw;
        }
        catch (UpstreamException e)
        {
            throw new ToolException($"{UnreachableMessage} ({url.GetLeftPart(UriPartial.Authority)}: {e.Reason}). Please try again later.", e);
        }
    }

    /// <summary>One attempt; a 429 or 5xx answer is thrown as an <see cref="HttpRequestException"/> with its status, for the retry pipeline.</summary>
    private async ValueTask<JsonDocument> GetOnceAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                try
                {
                    return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (JsonException e)
                {
                    throw new ToolException("The weather service sent an answer that is not JSON.", e);
                }
            }
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var failure = $"HTTP {(int)response.StatusCode}{Reason(text)}";
        if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
        {
            throw new ToolException($"The weather service refused the request ({failure}).");
        }

        throw new HttpRequestException(failure, null, response.StatusCode);
    }

    /// <summary>Failed connections, timeouts, 429 and 5xx are retried (named with the service's own reason); a <see cref="ToolException"/> is final.</summary>
    private static TransientFailure? Classify(Exception exception) =>
        exception is ToolException ? null
        : TransientFailure.Classify(exception) is { StatusCode: not null } status ? status with { Reason = exception.Message }
        : TransientFailure.Classify(exception);

    // Open-Meteo errors are {"error": true, "reason": "..."}.
    private static string Reason(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("reason", out var reason) && reason.GetString() is { } text ? $": {text}" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
