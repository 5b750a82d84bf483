using System.ComponentModel;
using System.Globalization;
using System.Text;

namespace Parley.Tools.Weather;

/// <summary>The <c>weather</c> tool: the weather now and for the next days in a city, from an Open-Meteo-compatible service.</summary>
public sealed class WeatherTool
{
    private readonly OpenMeteoClient _client;

    /// <summary>Creates the tool.</summary>
    public WeatherTool(OpenMeteoClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
    }

    /// <summary>Tells the weather in <paramref name="city"/>.</summary>
    [Description("Tells the current weather and the forecast for the next three days in a city.")]
    public async Task<string> GetWeatherAsync(
        [Description("The city, e.g. \"Paris\" or \"Springfield, US\".")] string city,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(city))
        {
            throw new ToolException("Which city? I need a city to look up the weather.");
        }

        var place = await _client.GeocodeAsync(city, cancellationToken).ConfigureAwait(false)
            ?? throw new ToolException($"I couldn't find a place called '{city.Trim()}'.");
        var forecast = await _client.ForecastAsync(place, 3, cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        var where = place.Country is null ? place.Name : $"{place.Name}, {place.Country}";
        text.Append(CultureInfo.InvariantCulture, $"Weather in {where}: ");
        if (forecast.CurrentTemperature is { } now)
        {
            text.Append(CultureInfo.InvariantCulture, $"now {now:0.#} °C, {WeatherCodes.Describe(forecast.CurrentCode)}");
            if (forecast.CurrentWind is { } wind)
            {
                text.Append(CultureInfo.InvariantCulture, $", wind {wind:0} km/h");
            }

            text.Append('.');
        }

        foreach (var day in forecast.Days)
        {
            text.Append(CultureInfo.InvariantCulture, $" {day.Date:ddd d MMM}: {WeatherCodes.Describe(day.Code)}, {day.Min:0.#} to {day.Max:0.#} °C");
            if (day.PrecipitationChance is { } chance)
            {
                text.Append(CultureInfo.InvariantCulture, $", {chance:0}% chance of precipitation");
            }

            text.Append('.');
        }

        return text.ToString();
    }
}
