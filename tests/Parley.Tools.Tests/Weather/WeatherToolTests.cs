using System.Net;
using System.Net.Sockets;
using Parley.Testing;
using Parley.Tools.Weather;

namespace Parley.Tools.Tests.Weather;

public sealed class WeatherToolTests : IAsyncLifetime
{
    private OpenMeteoTestServer _server = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _server = await OpenMeteoTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private WeatherTool Tool(Uri? baseUrl = null, int attempts = 2) => new(new OpenMeteoClient(_http, new OpenMeteoOptions
    {
        ForecastBaseUrl = baseUrl ?? _server.BaseUrl,
        GeocodingBaseUrl = baseUrl ?? _server.BaseUrl,
        MaxAttempts = attempts,
        Deadline = TimeSpan.FromSeconds(5),
    }));

    [Fact]
    public async Task GetWeatherAsync_KnownCity_DescribesNowAndTheNextDays()
    {
        var text = await Tool().GetWeatherAsync("Paris");

        Assert.StartsWith("Weather in Paris, France: now 6.3 °C, overcast, wind 14 km/h.", text);
        Assert.Contains("Thu 3 Dec: light rain, 3.1 to 9.4 °C, 80% chance of precipitation.", text);
        Assert.Collection(_server.Requests,
            search => Assert.Equal("/v1/search?name=Paris&count=1&language=en&format=json", search),
            forecast => Assert.Contains("latitude=48.85341&longitude=2.3488&current=temperature_2m,weather_code,wind_speed_10m", forecast));
    }

    [Fact]
    public async Task GetWeatherAsync_UnknownCity_SaysSo()
    {
        var error = await Assert.ThrowsAsync<ToolException>(() => Tool().GetWeatherAsync("Atlantis"));
        Assert.Equal("I couldn't find a place called 'Atlantis'.", error.Message);
    }

    [Fact]
    public async Task GetWeatherAsync_OneServerError_IsRetried()
    {
        _server.FailNext = 1;
        Assert.StartsWith("Weather in Paris", await Tool().GetWeatherAsync("paris"));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task GetWeatherAsync_ServiceKeepsFailing_IsUnreachable()
    {
        _server.FailNext = 10;
        var error = await Assert.ThrowsAsync<ToolException>(() => Tool(attempts: 2).GetWeatherAsync("paris"));
        Assert.StartsWith(OpenMeteoClient.UnreachableMessage, error.Message);
        Assert.Contains("HTTP 503", error.Message);
    }

    [Fact]
    public async Task GetWeatherAsync_NothingListening_IsUnreachableWithoutHanging()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<ToolException>(() => Tool(new Uri($"http://127.0.0.1:{port}/")).GetWeatherAsync("Paris"));

        Assert.StartsWith("The weather service is unreachable", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Options_RelativeUrl_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new OpenMeteoClient(_http, new OpenMeteoOptions { ForecastBaseUrl = new Uri("/x", UriKind.Relative) }));
}
