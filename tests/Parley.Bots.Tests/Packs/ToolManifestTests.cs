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

    [Fact]
    public async Task LoadAsync_McpServers_AreReadAndAnIntentMayRunOneOfTheirTools()
    {
        Write("bot.yaml", """
            name: a
            mcp_servers:
              - name: files
                command: npx
                args: [-y, "@modelcontextprotocol/server-filesystem", /tmp]
                env:
                  LOG_LEVEL: warn
                tools: [read_file]
                timeout_seconds: 10
              - name: remote
                url: https://mcp.example.com/mcp
                headers:
                  Authorization: Bearer sk-x
                approval: false
                prefix: true
            """);
        Write("intents/a.yaml", "intents:\n  - name: read\n    tool: read_file\n    examples: [read the file]\n");

        var pack = await BotPackLoader.LoadAsync(_dir);

        var (files, remote) = (pack.Manifest.McpServers[0], pack.Manifest.McpServers[1]);
        Assert.Equal(("npx", "warn", TimeSpan.FromSeconds(10), (bool?)null), (files.Command, files.Environment["LOG_LEVEL"], files.Timeout, files.RequireApproval));
        Assert.Equal(["-y", "@modelcontextprotocol/server-filesystem", "/tmp"], files.Arguments);
        Assert.Equal(["read_file"], files.AllowedTools);
        Assert.Equal((new Uri("https://mcp.example.com/mcp"), "Bearer sk-x", false, true), (remote.Url, remote.Headers["Authorization"], remote.RequireApproval, remote.Prefix));
        Assert.Equal("read_file", pack.IntentsByName["read"].Tool);
    }

    [Theory]
    [InlineData("mcp_servers:\n  - name: x", "needs exactly one of 'command'", 3)]
    [InlineData("mcp_servers:\n  - name: x\n    command: a\n    url: http://b", "needs exactly one of 'command'", 3)]
    [InlineData("mcp_servers:\n  - name: x\n    url: file:///etc", "must be an absolute http or https URL", 4)]
    [InlineData("mcp_servers:\n  - name: x\n    url: http://b\n    args: [a]", "'args', 'env' and 'cwd' are for servers started with 'command'", 3)]
    [InlineData("mcp_servers:\n  - name: x\n    command: a\n    headers:\n      A: b", "'headers' are for HTTP servers", 3)]
    [InlineData("mcp_servers:\n  - name: x\n    command: a\n  - name: x\n    command: b", "declared twice", 5)]
    [InlineData("mcp_servers:\n  - name: x y\n    command: a", "must be letters, digits", 3)]
    [InlineData("mcp_servers:\n  - name: x\n    command: a\n    timeout_seconds: 0", "timeout_seconds", 5)]
    [InlineData("mcp_servers:\n  - name: x\n    command: a\n    comand: b", "unknown field 'mcp_servers[0].comand'", 5)]
    public async Task LoadAsync_BadMcpServer_NamesFileLineAndField(string manifest, string message, int line)
    {
        Write("bot.yaml", $"name: a\n{manifest}\n");

        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));

        Assert.Contains(message, e.Message);
        Assert.Equal(line, e.Line);
    }
}
