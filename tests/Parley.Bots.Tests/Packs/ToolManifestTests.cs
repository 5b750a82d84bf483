using Parley.Bots.Packs;

namespace Parley.Bots.Tests.Packs;

public sealed class ToolManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-tools-pack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private const string WeatherIntent = """
        intents:
          - name: weather
            tool: weather
            slots:
              - name: city
                entity: city
                prompt: Which city?
            examples: [what's the weather in Paris]
        """;

    [Fact]
    public async Task LoadAsync_ToolsEntitiesAndSlots_AreRead()
    {
        Write("bot.yaml", """
            name: a
            time_zone: Europe/Berlin
            tools:
              - calculator
              - name: weather
                forecast_url: http://127.0.0.1:9/
              - name: calendar_create
                approval: false
            entities:
              city: [Paris, Berlin]
              order_id: '\b(\d{5})\b'
            """);
        Write("intents/a.yaml", WeatherIntent);

        var pack = await BotPackLoader.LoadAsync(_dir);

        Assert.Equal("Europe/Berlin", pack.Manifest.TimeZone);
        Assert.Equal(["calculator", "weather", "calendar_create"], pack.Manifest.Tools.Select(t => t.Name));
        Assert.Equal(new Uri("http://127.0.0.1:9/"), pack.Manifest.Tools[1].ForecastUrl);
        Assert.False(pack.Manifest.Tools[2].RequireApproval);
        Assert.Equal(["Paris", "Berlin"], pack.Manifest.Entities[0].Values);
        Assert.NotNull(pack.Manifest.Entities[1].Pattern);
        var slot = Assert.Single(pack.IntentsByName["weather"].Slots);
        Assert.Equal(("city", "city", "Which city?", true), (slot.Name, slot.Entity, slot.Prompt, slot.Required));
    }

    [Theory]
    [InlineData("tools: [teleport]", "", "names the tool 'teleport', which Parley does not have", 2)]
    [InlineData("tools: [calculator, calculator]", "", "declared twice", 2)]
    [InlineData("tools: [order_status]", "", "needs 'orders'", 2)]
    [InlineData("tools:\n  - name: order_status\n    orders: missing.json", "", "order book 'missing.json'", 3)]
    [InlineData("tools:\n  - name: weather\n    forecast_url: ftp://x", "", "must be an absolute http or https URL", 4)]
    [InlineData("time_zone: Mars/Olympus", "", "not a time zone", 0)]
    [InlineData("entities:\n  id: '(unclosed'", "", "not a valid regular expression", 3)]
    [InlineData("tools: [calculator]", "weather", "runs tool 'weather', which is not in the manifest's 'tools'", 2)]
    [InlineData("tools: [weather]", "weather", "uses entity 'city', which is neither built in", 2)]
    public async Task LoadAsync_BadToolDeclaration_NamesFileLineAndField(string manifest, string intents, string message, int line)
    {
        Write("bot.yaml", $"name: a\n{manifest}\n");
        if (intents.Length > 0)
        {
            Write("intents/a.yaml", WeatherIntent);
        }

        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));

        Assert.Contains(message, e.Message);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public async Task LoadAsync_ToolAndResponse_IsRefused()
    {
        Write("bot.yaml", "name: a\ntools: [calculator]\n");
        Write("intents/a.yaml", "intents:\n  - name: calc\n    tool: calculator\n    response: hi\n    examples: [what is 2 + 2]\n");

        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));

        Assert.Contains("has both a 'tool' and a 'response'", e.Message);
    }
}
