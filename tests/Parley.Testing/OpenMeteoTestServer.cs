using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Parley.Testing;

/// <summary>
/// An in-process Open-Meteo double on 127.0.0.1 (Kestrel, a free port): <c>GET /v1/search</c> (geocoding) and
/// <c>GET /v1/forecast</c>, answering in the real APIs' JSON format (<c>results[]</c> with <c>name</c>, <c>latitude</c>,
/// <c>longitude</c>, <c>country</c>, <c>timezone</c>; <c>current</c>/<c>current_units</c>, <c>daily</c>/<c>daily_units</c>;
/// errors as HTTP 400 <c>{"error": true, "reason": "…"}</c>).
/// </summary>
public sealed class OpenMeteoTestServer : IAsyncDisposable
{
    private WebApplication? _app;

    private OpenMeteoTestServer()
    {
    }

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Places the geocoding API knows, by lower-case name.</summary>
    public ConcurrentDictionary<string, (string Name, string Country, double Latitude, double Longitude, string TimeZone)> Places { get; } = new()
    {
        ["paris"] = ("Paris", "France", 48.85341, 2.3488, "Europe/Paris"),
        ["berlin"] = ("Berlin", "Germany", 52.52437, 13.41053, "Europe/Berlin"),
        ["tokyo"] = ("Tokyo", "Japan", 35.6895, 139.69171, "Asia/Tokyo"),
    };

    /// <summary>How many of the next requests fail with HTTP 503 before the server answers again.</summary>
    public int FailNext { get; set; }

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    public static async Task<OpenMeteoTestServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new OpenMeteoTestServer();
        var (app, address) = await LoopbackHost.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                server.Requests.Enqueue(context.Request.Path + context.Request.QueryString);
                if (server.FailNext > 0)
                {
                    server.FailNext--;
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }

                await next(context).ConfigureAwait(false);
            });
            app.MapGet("/v1/search", server.Search);
            app.MapGet("/v1/forecast", Forecast);
        }, cancellationToken).ConfigureAwait(false);
        server._app = app;
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => LoopbackHost.StopAsync(_app);

    private IResult Search(string? name)
    {
        var result = new JsonObject { ["generationtime_ms"] = 0.7 };
        if (name is not null && Places.TryGetValue(name.Trim().ToLowerInvariant(), out var place))
        {
            result["results"] = new JsonArray(new JsonObject
            {
                ["id"] = 2988507, ["name"] = place.Name, ["latitude"] = place.Latitude, ["longitude"] = place.Longitude, ["elevation"] = 42.0,
                ["feature_code"] = "PPLC", ["country_code"] = place.Country[..2].ToUpperInvariant(), ["timezone"] = place.TimeZone,
                ["population"] = 2138551, ["country"] = place.Country, ["admin1"] = place.Name,
            });
        }

        return Results.Text(result.ToJsonString(), "application/json");
    }

    private static IResult Forecast(HttpContext context)
    {
        var query = context.Request.Query;
        if (!double.TryParse(query["latitude"], NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude)
            || !double.TryParse(query["longitude"], NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude))
        {
            return Results.Text("""{"error":true,"reason":"Parameter 'latitude' and 'longitude' must have the same number of elements"}""", "application/json", statusCode: 400);
        }

        var days = int.TryParse(query["forecast_days"], CultureInfo.InvariantCulture, out var d) ? d : 7;
        var times = new JsonArray();
        var codes = new JsonArray();
        var max = new JsonArray();
        var min = new JsonArray();
        var rain = new JsonArray();
        for (var i = 0; i < days; i++)
        {
            times.Add(new DateOnly(2026, 12, 2).AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            codes.Add(i == 1 ? 61 : 3);
            max.Add(8.4 + i);
            min.Add(2.1 + i);
            rain.Add(i == 1 ? 80 : 10);
        }

        var body = new JsonObject
        {
            ["latitude"] = Math.Round(latitude, 2), ["longitude"] = Math.Round(longitude, 2), ["generationtime_ms"] = 0.05,
            ["utc_offset_seconds"] = 3600, ["timezone"] = "Europe/Paris", ["timezone_abbreviation"] = "GMT+1", ["elevation"] = 43.0,
            ["current_units"] = new JsonObject { ["time"] = "iso8601", ["interval"] = "seconds", ["temperature_2m"] = "°C", ["weather_code"] = "wmo code", ["wind_speed_10m"] = "km/h" },
            ["current"] = new JsonObject { ["time"] = "2026-12-02T13:30", ["interval"] = 900, ["temperature_2m"] = 6.3, ["weather_code"] = 3, ["wind_speed_10m"] = 14.2 },
            ["daily_units"] = new JsonObject { ["time"] = "iso8601", ["weather_code"] = "wmo code", ["temperature_2m_max"] = "°C", ["temperature_2m_min"] = "°C", ["precipitation_probability_max"] = "%" },
            ["daily"] = new JsonObject { ["time"] = times, ["weather_code"] = codes, ["temperature_2m_max"] = max, ["temperature_2m_min"] = min, ["precipitation_probability_max"] = rain },
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }
}
