using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Parley.Testing;

namespace Parley.Cli.Tests;

/// <summary>
/// Parley on both sides of MCP over stdio: <c>parley mcp</c> serves a bot's tools, and a pack's <c>mcp_servers</c> starts
/// such a server and uses its tools as its own.
/// </summary>
public sealed class McpCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly string _data = Directory.CreateTempSubdirectory("parley-mcp-data-").FullName;

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>The built CLI, started the way an MCP client starts a stdio server.</summary>
    private static string ParleyDll => Path.Combine(AppContext.BaseDirectory, "parley.dll");

    [Fact]
    public async Task Mcp_AssistantBot_ServesItsToolsWithoutApprovalToAnMcpClient()
    {
        await using var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [ParleyDll, "mcp", "--bot", TestPaths.AssistantBot],
            EnvironmentVariables = new Dictionary<string, string?> { ["PARLEY_DATA_DIR"] = _data },
        }));

        var tools = await client.ListToolsAsync();
        var sum = await client.CallToolAsync("calculator", new Dictionary<string, object?> { ["expression"] = "17% of 2,340" });
        var refused = await client.CallToolAsync("calculator", new Dictionary<string, object?> { ["expression"] = "system('ls')" });

        Assert.Equal(["calculator", "calendar_list", "current_time", "weather"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal("397.8", Assert.IsType<TextContentBlock>(Assert.Single(sum.Content)).Text);
        Assert.NotEqual(true, sum.IsError);
        Assert.True(refused.IsError);
        Assert.True(tools.Single(t => t.Name == "calculator").ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.Contains("only arithmetic", Assert.IsType<TextContentBlock>(Assert.Single(refused.Content)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_PackWithAStdioMcpServer_RunsTheServersToolForItsIntent()
    {
        var pack = WritePack(AssistantServer("calculator"));

        var answer = (await _cli.RunAsync(["ask", "--bot", pack, "--json", "what is 17% of 2,340?"])).Json();

        Assert.Equal("tool", answer.GetProperty("route").GetString());
        var call = answer.GetProperty("tool_calls")[0];
        Assert.Equal("calculator", call.GetProperty("name").GetString());
        Assert.Contains("397.8", answer.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_McpServerThatCannotStart_WarnsAndTheIntentSaysTheToolIsUnavailable()
    {
        var pack = WritePack("""
            mcp_servers:
              - name: missing
                command: /no/such/program
                timeout_seconds: 5
            """);

        var result = await _cli.RunAsync(["ask", "--bot", pack, "--json", "what is 17% of 2,340?"]);

        result.AssertSucceeded();
        Assert.Contains("warning: the MCP server 'missing' (/no/such/program", result.Error, StringComparison.Ordinal);
        Assert.Contains("could not be reached", result.Error, StringComparison.Ordinal);
        var answer = JsonDocument.Parse(result.Output).RootElement;
        Assert.Contains("unavailable", answer.GetProperty("reply").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ask_ServerWithoutTheToolTheIntentRuns_IsAPackErrorNamingIt()
    {
        var pack = WritePack(AssistantServer("weather"));

        var result = await _cli.RunAsync(["ask", "--bot", pack, "what is 17% of 2,340?"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("intent 'calculate' runs tool 'calculator', which is neither in 'tools' nor offered by an MCP server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_AllowListNamingAToolTheServerLacks_IsAPackErrorNamingTheServer()
    {
        var pack = WritePack(AssistantServer("teleport"));

        var result = await _cli.RunAsync(["ask", "--bot", pack, "what is 17% of 2,340?"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("bot.yaml:3: the MCP server 'assistant' has no tool 'teleport'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private static string Quoted(string value) => JsonSerializer.Serialize(value);

    /// <summary>An <c>mcp_servers</c> entry that starts <c>parley mcp</c> on the assistant bot, allowing <paramref name="tool"/> only.</summary>
    private string AssistantServer(string tool) => $"""
        mcp_servers:
          - name: assistant
            command: dotnet
            args: [{Quoted(ParleyDll)}, mcp, --bot, {Quoted(TestPaths.AssistantBot)}]
            env:
              PARLEY_DATA_DIR: {Quoted(_data)}
            tools: [{tool}]
        """;

    private string WritePack(string servers)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_cli.Directory, "helper")).FullName;
        File.WriteAllText(Path.Combine(folder, "bot.yaml"), $"""
            name: helper
            {servers}
            """);
        Directory.CreateDirectory(Path.Combine(folder, "intents"));
        File.WriteAllText(Path.Combine(folder, "intents", "main.yaml"), """
            intents:
              - name: calculate
                tool: calculator
                slots:
                  - name: expression
                    entity: message
                    prompt: What should I calculate?
                examples: [what is 17% of 2,340?, calculate 12 times 7, what's 45 divided by 9, how much is 250 plus 380, 15% of 80]
              - name: greet
                response: Hello! I can calculate.
                examples: [hi, hello, good morning, hey there, hi bot]
            """);
        return folder;
    }
}
